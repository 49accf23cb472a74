#include "request_queue.hpp"

namespace skynet::broker_detail {
namespace {
constexpr std::size_t initial_slots = 16;
constexpr std::size_t idle_slots_kept = 1024;
// Frames a slot's body has room for from the start: a request's header and
// params, with room to spare. The ring reaches slots in turn, so a slot left
// to grow on first use would allocate long after the queue reached its size.
constexpr std::size_t frames_per_slot = 4;
}  // namespace

queued_request& request_queue::push_back() {
    if (size_ == slots_.size()) {
        grow();
    }
    auto& slot = at(size_);
    ++size_;
    return slot;
}

void request_queue::pop_front() noexcept {
    reset(slots_[head_]);
    head_ = (head_ + 1) % slots_.size();
    --size_;
}

void request_queue::reset(queued_request& slot) noexcept {
    slot.terms = request_terms{};  // gives the client's share back, if still held
    slot.body.clear();             // keeps capacity for the next request
}

void request_queue::grow() {
    std::vector<queued_request> bigger(slots_.empty() ? initial_slots : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) {
        bigger[i] = std::move(at(i));
    }
    for (std::size_t i = size_; i < bigger.size(); ++i) {
        bigger[i].body.reserve(frames_per_slot);
    }
    slots_ = std::move(bigger);
    head_ = 0;
}

void request_queue::shrink_if_idle() noexcept {
    if (size_ == 0 && slots_.size() > idle_slots_kept) {
        slots_ = std::vector<queued_request>();
        head_ = 0;
    }
}

}  // namespace skynet::broker_detail
