#include "skynet/registry/broker_follower.hpp"

#include "skynet/registry/instance_listener.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::registry {

broker_follower::broker_follower(options registry, directory_policy policy,
                                 change_callback on_change)
    : directory_(std::move(policy)), on_change_(std::move(on_change)) {
    // The expiry thread only when something can expire: a client keeps a
    // vanished broker for as long as it answers, and needs none.
    const auto grace = directory_.policy().grace;
    if (grace > std::chrono::milliseconds::zero() && grace != std::chrono::milliseconds::max()) {
        expiry_ = std::thread([this] { expire_loop(); });
    }
    listener_callbacks callbacks{[this](const instance& b) { seen(b); },
                                 [this](const instance& b) { seen(b); },
                                 [this](const instance& b) { gone(b); }};
    try {
        listener_ = std::make_unique<instance_listener>(
            std::move(registry), directory_.policy().broker_query(), std::move(callbacks));
    } catch (...) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (expiry_.joinable()) {
            expiry_.join();
        }
        throw;
    }
}

broker_follower::~broker_follower() {
    listener_.reset();  // first: no more seen() or gone()
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (expiry_.joinable()) {
        expiry_.join();
    }
}

std::vector<broker_entry> broker_follower::brokers() const {
    std::lock_guard lock(mutex_);
    return directory_.brokers();
}

bool broker_follower::loaded() const noexcept {
    if (loaded_.load(std::memory_order_acquire)) {
        return true;
    }
    if (listener_ && listener_->connected()) {
        loaded_.store(true, std::memory_order_release);
        return true;
    }
    return false;
}

void broker_follower::seen(const instance& broker) {
    std::lock_guard lock(mutex_);
    publish_if(directory_.seen(broker, bus::clock::now()));
}

void broker_follower::gone(const instance& broker) {
    std::lock_guard lock(mutex_);
    publish_if(directory_.gone(broker, bus::clock::now()));
    wake_.notify_all();  // a new expiry, maybe the next one
}

void broker_follower::publish_if(bool changed) {
    if (!changed || !on_change_) {
        return;
    }
    try {
        on_change_(directory_.brokers());
    } catch (const std::exception& e) {
        runtime::logger_for("registry")
            ->error("broker follower callback threw error=\"{}\"", e.what());
    }
}

void broker_follower::expire_loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (auto next = directory_.next_expiry()) {
            wake_.wait_until(lock, *next);
        } else {
            wake_.wait(lock);
        }
        if (!stopping_) {
            publish_if(directory_.expire(bus::clock::now()));
        }
    }
}

}  // namespace skynet::registry
