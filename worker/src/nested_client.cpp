#include "nested_client.hpp"

#include <stdexcept>

namespace skynet::worker_detail {

client& nested_client::get() {
    if (auto* ready = ready_.load(std::memory_order_acquire)) {
        return *ready;
    }
    std::lock_guard lock(mutex_);
    if (closed_) {
        throw std::logic_error("worker: request::client(): the worker has stopped");
    }
    if (!client_) {
        client_ = std::make_unique<client>(options_);
        ready_.store(client_.get(), std::memory_order_release);
    }
    return *client_;
}

client* nested_client::get_if_open() noexcept {
    try {
        return &get();
    } catch (...) {
        return nullptr;
    }
}

void nested_client::close() noexcept {
    std::unique_ptr<client> closing;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        ready_.store(nullptr, std::memory_order_release);
        closing = std::move(client_);
    }
    closing.reset();
}

}  // namespace skynet::worker_detail
