#pragma once
// A FIFO of requests waiting for a worker: a ring of reusable slots, so that
// queueing a request moves its frames into a slot whose storage survives it.

#include <cstdint>
#include <vector>

#include "request_terms.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/frames.hpp"

namespace skynet::broker_detail {

struct queued_request {
    request_terms terms;
    bus::frames body;
    bus::time_point enqueued_at;
    std::uint64_t sequence = 0;  // arrival order across all queues
};

class request_queue {
public:
    bool empty() const noexcept { return size_ == 0; }
    std::size_t size() const noexcept { return size_; }

    // A slot at the back to fill; its body is empty with capacity kept.
    queued_request& push_back();
    // Precondition: !empty().
    queued_request& front() noexcept { return slots_[head_]; }
    const queued_request& oldest() const noexcept { return slots_[head_]; }
    void pop_front() noexcept;

    // Removes every request for which `take` returns true, in order, keeping
    // the others in order. `take` may move the request's frames out.
    template <class Take>
    void remove_if(Take&& take) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < size_; ++i) {
            auto& slot = at(i);
            if (take(slot)) {
                reset(slot);
            } else {
                if (kept != i) {
                    std::swap(at(kept), slot);
                }
                ++kept;
            }
        }
        size_ = kept;
    }

    // Gives back the memory of a large, now empty queue.
    void shrink_if_idle() noexcept;

private:
    queued_request& at(std::size_t i) noexcept { return slots_[(head_ + i) % slots_.size()]; }
    static void reset(queued_request& slot) noexcept;
    void grow();

    std::vector<queued_request> slots_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

}  // namespace skynet::broker_detail
