#pragma once
// Tells the registration when the network thread begins the graceful drain,
// so that the registry record says "draining" while the worker finishes what
// it holds. The registration comes and goes on another thread than the one
// that drains: whichever of the two comes second makes the call.

#include <functional>
#include <mutex>
#include <utility>

namespace skynet::worker_detail {

class drain_notice {
public:
    // The network thread: the drain began. Calls the listener, if any.
    void begin() {
        std::lock_guard lock(mutex_);
        begun_ = true;
        if (listener_) {
            listener_();
        }
    }
    // The registration: `listener` is called once the drain begins (at once
    // if it did already). An empty one stops the calls.
    void listen(std::function<void()> listener) {
        std::lock_guard lock(mutex_);
        listener_ = std::move(listener);
        if (begun_ && listener_) {
            listener_();
        }
    }

private:
    std::mutex mutex_;
    bool begun_ = false;
    std::function<void()> listener_;
};

}  // namespace skynet::worker_detail
