#pragma once
// Which requests in flight their callers gave up (docs/design.md,
// "Cancellation"). A slot per request a handler holds, reused: opened when
// the request is dispatched, closed when its reply leaves, on the network
// thread. A request keeps a pointer to its slot and the slot's state when
// opened, so that request::cancelled() is one atomic load from any thread,
// and a slot reused for a later request never reads as this one's.
//
// The slots live in the worker's shared state: a request answered through a
// responder keeps that alive until it is answered.

#include <atomic>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

namespace skynet::worker_detail {

struct cancel_slot {
    // generation << 1 | cancelled. The generation moves on at each close.
    std::atomic<std::uint64_t> state{0};
    // Network thread only: what a notice names (the broker's address for
    // the request) and where it came from.
    std::uint64_t key = 0;
    std::uint32_t connection = 0;
    std::uint32_t epoch = 0;
    bool open = false;
};

class cancel_table {
public:
    static constexpr std::uint32_t none = UINT32_MAX;

    // The broker's address for a request as a key: its 8-byte token, or a
    // hash of anything else.
    static std::uint64_t key_of(std::string_view address) noexcept;

    // Network thread. The slot's index; no allocation once the table has
    // grown to the most requests held at once.
    std::uint32_t open(std::uint32_t connection, std::uint32_t epoch, std::uint64_t key);
    void close(std::uint32_t index) noexcept;
    // Marks the open request `key` of `connection`; false if there is none
    // (answered already, or never seen): a no-op.
    bool cancel(std::uint32_t connection, std::uint32_t epoch, std::uint64_t key) noexcept;

    const cancel_slot& at(std::uint32_t index) const noexcept { return slots_[index]; }

private:
    std::deque<cancel_slot> slots_;  // a deque never moves its elements
    std::vector<std::uint32_t> free_;
    std::uint32_t open_count_ = 0;
};

}  // namespace skynet::worker_detail
