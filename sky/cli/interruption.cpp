// interruption.hpp: a signal watcher and the mask it leaves as it found it.
#include "interruption.hpp"

#include <pthread.h>

namespace skynet::sky {

interruption::interruption() {
    pthread_sigmask(SIG_SETMASK, nullptr, &before_);
    signals_.emplace([this](int) {
        std::lock_guard lock(mutex_);
        stop_ = true;
        signalled_.notify_all();
    });
}

interruption::~interruption() {
    signals_.reset();  // joins the watcher before the mask changes back
    pthread_sigmask(SIG_SETMASK, &before_, nullptr);
}

bool interruption::wait_for(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return signalled_.wait_for(lock, limit, [&] { return stop_; });
}

void interruption::wait() {
    std::unique_lock lock(mutex_);
    signalled_.wait(lock, [&] { return stop_; });
}

}  // namespace skynet::sky
