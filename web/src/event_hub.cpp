#include "event_hub.hpp"

#include <chrono>

namespace skynet::web {

stream_slot::~stream_slot() {
    queue_->close();
    hub_.release(queue_);
}

namespace {

// This run's first id: its start in ms, times a million. Any id of an
// earlier run (started at least a millisecond before, with fewer than a
// million events per millisecond since) is below it, so a browser that
// comes back with one is sent a snapshot, never this run's deltas.
std::uint64_t first_id() {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    return static_cast<std::uint64_t>(ms) * 1'000'000 + 1;
}

}  // namespace

event_hub::event_hub(std::size_t max_streams, std::size_t queue_limit, std::size_t replay)
    : max_streams_(max_streams),
      queue_limit_(queue_limit),
      replay_limit_(replay),
      next_id_(first_id()) {}

std::unique_ptr<stream_slot> event_hub::open() {
    auto queue = std::make_shared<stream_queue>(queue_limit_);
    {
        std::lock_guard lock(mutex_);
        if (open_ >= max_streams_) {
            return nullptr;
        }
        ++open_;
        all_.insert(queue);
    }
    return std::make_unique<stream_slot>(*this, std::move(queue));
}

void event_hub::release(const std::shared_ptr<stream_queue>& queue) {
    std::lock_guard lock(mutex_);
    attached_.erase(queue);
    all_.erase(queue);
    --open_;
}

std::uint64_t event_hub::publish(std::string_view event, std::string_view data) {
    std::lock_guard lock(mutex_);
    const auto id = next_id_++;
    auto message = sse_message(id, event, data);
    for (auto it = attached_.begin(); it != attached_.end();) {
        // A stream that fell behind is closed by its queue; its thread ends
        // it, and it no longer takes deltas.
        it = (*it)->push(message) ? std::next(it) : attached_.erase(it);
    }
    replay_.emplace_back(id, std::move(message));
    while (replay_.size() > replay_limit_) {
        replay_.pop_front();
    }
    return id;
}

bool event_hub::attach(stream_slot& slot, std::optional<std::uint64_t> last_id,
                       const std::function<std::string()>& snapshot) {
    std::lock_guard lock(mutex_);
    const auto& queue = slot.shared();
    const bool replayable = last_id && *last_id < next_id_ && !replay_.empty() &&
                            *last_id + 1 >= replay_.front().first &&
                            next_id_ - 1 - *last_id < queue_limit_;
    if (replayable) {
        for (const auto& [id, message] : replay_) {
            if (id > *last_id) {
                queue->push(message);
            }
        }
    } else {
        queue->push(sse_message(next_id_ - 1, "snapshot", snapshot()));
    }
    attached_.insert(queue);
    return replayable;
}

void event_hub::close_all() {
    std::lock_guard lock(mutex_);
    for (const auto& queue : all_) {
        queue->close();
    }
    attached_.clear();
}

std::size_t event_hub::open_streams() const {
    std::lock_guard lock(mutex_);
    return open_;
}

std::uint64_t event_hub::last_id() const {
    std::lock_guard lock(mutex_);
    return next_id_ - 1;
}

}  // namespace skynet::web
