#pragma once
// For commands that run until the user stops them (watch, logs -f): takes
// SIGINT and SIGTERM while it lives (made first, so that threads started
// after it block them too) and gives the caller its signal mask back after,
// so that the shell goes on.

#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "skynet/runtime/signals.hpp"

namespace skynet::sky {

class interruption {
public:
    interruption();
    ~interruption();
    interruption(const interruption&) = delete;
    interruption& operator=(const interruption&) = delete;

    // True once a signal came; waits at most `limit` for one.
    bool wait_for(std::chrono::milliseconds limit);
    // Until a signal comes.
    void wait();

private:
    sigset_t before_;
    std::mutex mutex_;
    std::condition_variable signalled_;
    bool stop_ = false;  // guarded by mutex_
    std::optional<runtime::signal_watcher> signals_;
};

}  // namespace skynet::sky
