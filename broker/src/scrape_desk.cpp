#include "scrape_desk.hpp"

#include <utility>

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
    std::shared_ptr<const broker_snapshot> previous;  // freed after the lock, not under it
    auto shared = std::make_shared<const broker_snapshot>(std::move(snapshot));
    std::lock_guard lock(mutex_);
    previous = std::exchange(latest_, std::move(shared));
    answered_ = asked_;
    answered_cv_.notify_all();
}

std::shared_ptr<const broker_snapshot> scrape_desk::ask(std::chrono::milliseconds patience) {
    std::unique_lock lock(mutex_);
    if (!open_) {
        return nullptr;
    }
    const auto ticket = ++asked_;
    wanted_.store(true, std::memory_order_relaxed);
    wake_.signal();
    const bool done =
        answered_cv_.wait_for(lock, patience, [&] { return answered_ >= ticket || !open_; });
    if (!done || answered_ < ticket) {
        return nullptr;
    }
    return latest_;
}

}  // namespace skynet::broker_detail
