#pragma once
// The broker's counters: written by the broker's thread only, read by any
// (broker::stats), hence relaxed atomics.

#include <atomic>
#include <cstdint>

#include "skynet/broker/broker.hpp"

namespace skynet::broker_detail {

struct counter {
    std::atomic<std::uint64_t> value{0};
    // Single writer: a load and a store, no locked read-modify-write.
    void add(std::uint64_t n = 1) noexcept {
        value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    void set(std::uint64_t n) noexcept { value.store(n, std::memory_order_relaxed); }
    std::uint64_t get() const noexcept { return value.load(std::memory_order_relaxed); }
};

struct counters {
    counter requests, dispatched, replies, queued, in_flight, workers, services, clients, malformed,
        disconnects, overloaded, unknown_service, expired, workers_lost, redispatched,
        worker_lost_replies, undeliverable, too_large, clients_refused, client_requests_refused,
        quiet_workers, batches_received, batches_sent, plain_refused;

    broker_stats snapshot() const noexcept {
        return broker_stats{requests.get(),        dispatched.get(),   replies.get(),
                            queued.get(),          in_flight.get(),    workers.get(),
                            services.get(),        clients.get(),      malformed.get(),
                            disconnects.get(),
                            overloaded.get(),      unknown_service.get(), expired.get(),
                            workers_lost.get(),    redispatched.get(), worker_lost_replies.get(),
                            undeliverable.get(),   too_large.get(),    clients_refused.get(),
                            client_requests_refused.get(), quiet_workers.get(),
                            batches_received.get(), batches_sent.get(), plain_refused.get()};
    }
};

}  // namespace skynet::broker_detail
