#pragma once
// Where call handles reach their client's engine (client.hpp, call_handle).
// The client holds the one shared gate; each handle a weak share of it (no
// allocation per call). The client closes it before its engine goes, so a
// handle that outlives its client, or cancels while the client is being
// destroyed, reaches nothing.

#include <atomic>
#include <cstdint>
#include <mutex>

#include "engine.hpp"

namespace skynet::client_detail {

struct cancel_gate {
    explicit cancel_gate(engine& e) noexcept : target_(&e) {}

    // Any thread: the id of a new async call (never 0).
    std::uint64_t next_id() noexcept { return next_.fetch_add(1, std::memory_order_relaxed); }
    // Any thread: hands the engine a cancel of call `id`, which it takes in
    // order after the call itself (the same mailbox).
    void cancel(std::uint64_t id) noexcept;
    void close() noexcept {
        std::lock_guard lock(mutex_);
        target_ = nullptr;
    }

private:
    std::atomic<std::uint64_t> next_{1};
    std::mutex mutex_;
    engine* target_;  // guarded by mutex_; null once closed
};

}  // namespace skynet::client_detail
