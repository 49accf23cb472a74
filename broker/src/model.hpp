#pragma once
// What the broker knows: services, the workers that serve them, requests
// waiting for a worker and requests a worker holds. Plain data; the rules
// live in broker_core.

#include <cstdint>
#include <string>

#include "intrusive_list.hpp"
#include "request_queue.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/runtime/slot_table.hpp"
#include "stage_ref.hpp"

namespace skynet::broker_detail {

using bus::time_point;

struct worker_peer;
struct service;

// A worker's place in one service's ready list. A worker announced as
// "name@version" has two: in "name@version" and in "name".
struct ready_entry {
    worker_peer* worker = nullptr;
    service* svc = nullptr;
    list_hook<ready_entry> hook;
};
using ready_list = intrusive_list<ready_entry, &ready_entry::hook>;

// A request sent to a worker, until its reply. The worker returns the slot's
// token (index and generation) as the REQUEST's client address, so that its
// reply finds the slot in O(1) and a stale reply is recognised.
struct inflight_request : runtime::slot {
    worker_peer* worker = nullptr;
    service* requested = nullptr;  // the name the client asked for
    request_terms terms;
    // Copies of the body (shared buffers, not duplicated bytes): re-dispatch
    // needs all of it, an error reply the header's request_id.
    bus::frames body;
    // A request that came as a record of its client's batch frame keeps that
    // frame (shared, not copied) and where the record lies in it, instead of
    // `body`, until it must become frames of its own (a re-dispatch).
    zmq::message_t batch;
    std::uint32_t record_offset = 0;
    std::uint32_t record_size = 0;
    // Its client takes replies in batches (it sent the request in one).
    bool client_batches = false;
    list_hook<inflight_request> hook;  // on its worker's held list
};
using inflight_list = intrusive_list<inflight_request, &inflight_request::hook>;

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
    // Set aside: it holds requests but has been silent for two heartbeats,
    // frozen or cut off, most likely. It gets nothing new until heard again
    // (or is dropped at its expiry), instead of up to its credit.
    bool quiet = false;
    time_point expiry;     // dead if nothing heard by then
    time_point last_sent;  // for heartbeats only when otherwise silent
    inflight_list held;
    list_hook<worker_peer> roll_hook;  // on the broker's roll call

    bool has_credit() const noexcept { return !paused && !quiet && holding < credit; }
};
using roll_call = intrusive_list<worker_peer, &worker_peer::roll_hook>;

struct service {
    explicit service(std::string n) : name(std::move(n)) {}
    std::string name;
    ready_list ready;
    request_queue queue;
    std::size_t workers = 0;      // of any version, for a bare name
    time_point no_workers_since;  // when workers last became zero
    bool waiting = false;         // on the broker's list of services to sweep
    // No queued request expires before this: the sweep skips the queue until
    // then (or until the unknown-service wait of its oldest request ends).
    time_point earliest_deadline = time_point::max();
};

}  // namespace skynet::broker_detail
