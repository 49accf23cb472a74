#pragma once
// What the worker's threads share: hooks (fixed before start), counters, and
// the mailboxes by which replies made off the network thread, and changes
// asked by other threads, reach it.

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cancel_table.hpp"
#include "drain_notice.hpp"
#include "latency_histogram.hpp"
#include "method_metrics.hpp"
#include "nested_client.hpp"
#include "outcome_log.hpp"
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
    // By method, for /metrics; and the last failure, for the registry.
    method_metrics methods;
    std::atomic<std::int64_t> last_request_ns{0};
    // Our routing ids begin with it, so that a broker can name us in the
    // registry when we die (docs/design.md).
    std::string instance_id;
    // Requests given up by their callers (network thread; requests read
    // their own slot from any thread).
    cancel_table cancels;
    // Warnings about how requests ended, and the access log.
    outcome_log log;
    // request::client(): made on first use; closed by worker::wait() once
    // no handler runs any more.
    nested_client nested;
    // The network thread says so when it begins draining (registry record).
    drain_notice drain;
};

// Logs, at error, the exception being handled, thrown by a hook or escaping
// a thread's loop (`where` names which).
void log_escaped(std::string_view where) noexcept;

// Runs `hook` if it is set. A hook is the user's code: what it throws is
// logged and goes no further, since it runs on one of the worker's threads.
template <class Hook, class... Args>
void run_hook(const Hook& hook, std::string_view name, Args&&... args) noexcept {
    if (!hook) {
        return;
    }
    try {
        hook(std::forward<Args>(args)...);
    } catch (...) {
        log_escaped(name);
    }
}

// A request has ended with `code` (any thread): counts its handling time
// (and its method's), calls the completion hook, writes its access line.
// `error` is its reply's error text, for the last failure published.
void record_completion(shared_state& state, const request& req, bus::errc code,
                       std::string_view error = {});

// The error text of a reply body made by append_reply; empty if none.
std::string_view reply_error(const bus::frames& body) noexcept;

// Appends a reply body in our envelope (header + result) to `out`.
void append_reply(bus::frames& out, std::string_view request_id, bus::errc code,
                  std::string_view error, zmq::message_t&& result);

// Ends a request off the network thread: counts, calls the completion hook,
// and queues the reply.
void complete(shared_state& state, reply_route&& route, const request& req, bus::frames&& body,
              bus::errc code);

}  // namespace skynet::worker_detail
