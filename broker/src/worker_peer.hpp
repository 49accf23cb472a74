#pragma once
// What the broker knows of one worker connection: plain data, kept by the
// worker pool (worker_pool.hpp).

#include <cstdint>
#include <string>

#include "inflight_request.hpp"
#include "intrusive_list.hpp"
#include "ready_entry.hpp"
#include "skynet/bus/clock.hpp"
#include "stage_ref.hpp"

namespace skynet::broker_detail {

using bus::time_point;

struct worker_peer {
    std::string identity;   // ROUTER routing id
    std::string announced;  // the READY service name, "name" or "name@version"
    ready_entry entries[2];
    int entry_count = 0;
    std::uint32_t credit = 1;  // requests it may hold (plain 7/MDP: one)
    std::uint32_t holding = 0;
    // It agreed to take requests in batch frames (mmi.credit): records that
    // came in a client's batch go to it in one.
    bool batching = false;
    stage_ref requests;   // its batch of requests, this burst
    bool paused = false;  // asked for no new requests (mmi.pause)
    // One of ours: it asked for credit (mmi.credit) before READY, and so
    // takes mmi.cancel notices; a plain 7/MDP worker never gets one.
    bool ours = false;
    // Set aside: it holds requests but has been silent for two heartbeats,
    // frozen or cut off, most likely. It gets nothing new until heard again
    // (or is dropped at its expiry), instead of up to its credit.
    bool quiet = false;
    // The access control's generation it was last found allowed under
    // (access_gate): checked again at its next message once that moved on.
    std::uint64_t access_generation = 0;
    time_point expiry;     // dead if nothing heard by then
    time_point last_sent;  // for heartbeats only when otherwise silent
    inflight_list held;
    list_hook<worker_peer> roll_hook;  // on the broker's roll call

    bool has_credit() const noexcept { return !paused && !quiet && holding < credit; }
};
using roll_call = intrusive_list<worker_peer, &worker_peer::roll_hook>;

}  // namespace skynet::broker_detail
