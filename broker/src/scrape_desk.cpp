#include "scrape_desk.hpp"

namespace skynet::broker_detail {

void scrape_desk::open() {
    std::lock_guard lock(mutex_);
    open_ = true;
}

void scrape_desk::close() {
    std::lock_guard lock(mutex_);
    open_ = false;
    answered_cv_.notify_all();
}

void scrape_desk::answer(broker_snapshot snapshot) {
    wanted_.store(false, std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    latest_ = std::move(snapshot);
    answered_ = asked_;
    answered_cv_.notify_all();
}

std::optional<broker_snapshot> scrape_desk::ask(std::chrono::milliseconds patience) {
    std::unique_lock lock(mutex_);
    if (!open_) {
        return std::nullopt;
    }
    const auto ticket = ++asked_;
    wanted_.store(true, std::memory_order_relaxed);
    wake_.signal();
    const bool done =
        answered_cv_.wait_for(lock, patience, [&] { return answered_ >= ticket || !open_; });
    if (!done || answered_ < ticket) {
        return std::nullopt;
    }
    return latest_;  // a copy: another scrape may be reading it too
}

}  // namespace skynet::broker_detail
