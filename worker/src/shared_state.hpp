#pragma once
// What the worker's threads share: hooks (fixed before start), counters, and
// the mailboxes by which replies made off the network thread, and changes
// asked by other threads, reach it.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "latency_histogram.hpp"
#include "skynet/runtime/counter_table.hpp"
#include "skynet/runtime/mailbox.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::worker_detail {

// Written by many threads (handler threads count what they end).
struct worker_counters {
    SKYNET_WORKER_COUNTERS(SKYNET_ATOMIC_COUNTER_CELL)

    static void add(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) noexcept {
        c.fetch_add(n, std::memory_order_relaxed);
    }
    worker_stats snapshot() const noexcept {
        worker_stats s;
        SKYNET_WORKER_COUNTERS(SKYNET_COUNTER_COPY)
        return s;
    }
};

// A reply on its way to the network thread.
struct completion {
    reply_route route;
    bus::frames body;
};

// A change other threads ask of the network thread: the brokers to serve on
// (registry discovery), or whether to take new requests (sky register and
// unregister). The latest of each kind wins.
struct control_change {
    std::optional<std::vector<std::string>> brokers;
    std::optional<bool> registered;
};

struct shared_state {
    worker_hooks hooks;
    worker_counters stats;
    // Many producers (handler threads, async responders), one consumer: the
    // network thread. Closed once the worker has stopped.
    runtime::mailbox<completion> completions{"worker completions"};
    runtime::mailbox<control_change> control{"worker control"};
    // Handling times and the last request's arrival (steady clock, ns), for
    // the figures the worker publishes in the registry.
    latency_histogram latency;
    std::atomic<std::int64_t> last_request_ns{0};
    // Our routing ids begin with it, so that a broker can name us in the
    // registry when we die (docs/design.md).
    std::string instance_id;
};

// Counts a finished request's handling time (any thread).
void record_completion(shared_state& state, const request& req);

// Appends a reply body in our envelope (header + result) to `out`.
void append_reply(bus::frames& out, std::string_view request_id, bus::errc code,
                  std::string_view error, zmq::message_t&& result);

// Ends a request off the network thread: counts, calls the completion hook,
// and queues the reply.
void complete(shared_state& state, reply_route&& route, const request& req, bus::frames&& body,
              bus::errc code);

}  // namespace skynet::worker_detail
