#pragma once
// A call in progress, in the engine's slot table. Its request_id is its
// slot's token in hex (index and generation), so that a reply finds its call
// in O(1) and a reply to an ended call, whose slot has moved on, is
// recognised.

#include <deque>
#include <queue>
#include <string>
#include <vector>

#include "skynet/bus/clock.hpp"
#include "skynet/client/client.hpp"
#include "skynet/runtime/slot_table.hpp"

namespace skynet::client_detail {

using bus::milliseconds;
using bus::time_point;

struct pending_call : runtime::slot {
    bool raw = false;
    bool idempotent = false;
    std::string service;  // as sent: "name" or "name@version"
    std::string method;
    std::string parent_id;
    std::string traceparent;
    zmq::message_t params;         // envelope calls; kept for further attempts
    bool params_borrowed = false;  // see submission
    bus::frames raw_body;          // raw calls; kept for further attempts
    time_point deadline{};
    time_point unsent_since{};
    time_point next_attempt{};
    int retries_left = 0;
    int attempts = 0;
    std::int32_t redispatches = 0;  // the header's retry field
    int link = -1;                  // the broker of the current attempt; -1: not sent
    // Hedged calls: the second copy's broker, and how many copies are out.
    milliseconds hedge_after{0};
    bool wait_for_ready = false;  // call_options::wait_for_ready
    int hedge_link = -1;
    int copies = 0;
    // The links this call is counted on (broker_link::outstanding): what
    // link and hedge_link were when engine::track_links last ran.
    int counted_link = -1;
    int counted_hedge = -1;
    int moves = 0;        // times moved off a broker that answered UNAVAILABLE or UNKNOWN_SERVICE
    int raw_socket = -1;  // a raw call's socket
    call_callback done;
    std::uint64_t call_id = 0;    // its handle's (cancel_gate.cpp); 0: none
    bus::metadata_list metadata;  // carried in each attempt's header
};

using call_table = runtime::slot_table<pending_call>;

// Deadlines, earliest first. Entries of calls that ended are skipped when
// they come up (their token names nothing any more).
struct deadline_entry {
    time_point when;
    runtime::slot_token call;
    bool operator>(const deadline_entry& o) const noexcept { return when > o.when; }
};
using deadline_heap =
    std::priority_queue<deadline_entry, std::vector<deadline_entry>, std::greater<>>;

}  // namespace skynet::client_detail
