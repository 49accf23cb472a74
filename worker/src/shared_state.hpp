#pragma once
// What the worker's threads share: hooks (fixed before start), counters, and
// the queue by which replies made off the network thread reach it.

#include <atomic>
#include <mutex>
#include <vector>

#include "control_box.hpp"
#include "latency_histogram.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::worker_detail {

struct worker_counters {
    std::atomic<std::uint64_t> requests{0}, replies{0}, errors{0}, expired{0}, malformed{0},
        in_flight{0}, reconnects{0};

    static void add(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) noexcept {
        c.fetch_add(n, std::memory_order_relaxed);
    }
    worker_stats snapshot() const noexcept {
        auto get = [](const std::atomic<std::uint64_t>& c) {
            return c.load(std::memory_order_relaxed);
        };
        return {get(requests),  get(replies),   get(errors),    get(expired),
                get(malformed), get(in_flight), get(reconnects)};
    }
};

// A reply on its way to the network thread.
struct completion {
    reply_route route;
    bus::frames body;
};

// Many producers (handler threads, async responders), one consumer (the
// network thread), which polls fd() among its sockets.
class completion_queue {
public:
    completion_queue();
    ~completion_queue();
    completion_queue(const completion_queue&) = delete;
    completion_queue& operator=(const completion_queue&) = delete;

    // Any thread. Dropped once closed (the worker has stopped).
    void push(completion&& c);
    // Network thread: moves everything queued into `out` (cleared first).
    void take_all(std::vector<completion>& out);
    void close();
    int fd() const noexcept { return fd_; }

private:
    std::mutex mutex_;
    std::vector<completion> queue_;  // guarded by mutex_
    bool closed_ = false;            // guarded by mutex_
    int fd_;                         // eventfd: readable while queue_ is non-empty
};

struct shared_state {
    worker_hooks hooks;
    worker_counters stats;
    completion_queue completions;
    control_box control;
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
