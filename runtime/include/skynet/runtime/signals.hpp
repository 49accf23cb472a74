#pragma once
// Graceful stop on SIGINT and SIGTERM, and optionally SIGHUP (reload).

#include <atomic>
#include <functional>
#include <thread>

namespace skynet::runtime {

// Blocks SIGINT and SIGTERM (and SIGHUP with `hangup`) in the constructing
// thread (and so in every thread it starts afterwards; construct it first in
// main) and calls `on_signal` from its own thread when one arrives.
// `on_signal` should only ask things to stop, or reload.
class signal_watcher {
public:
    explicit signal_watcher(std::function<void(int signal)> on_signal, bool hangup = false);
    ~signal_watcher();
    signal_watcher(const signal_watcher&) = delete;
    signal_watcher& operator=(const signal_watcher&) = delete;

    // The last signal received, 0 if none (SIGHUP included).
    int last_signal() const noexcept { return last_.load(); }

private:
    std::function<void(int)> on_signal_;
    std::atomic<bool> done_{false};
    std::atomic<int> last_{0};
    std::thread thread_;
};

}  // namespace skynet::runtime
