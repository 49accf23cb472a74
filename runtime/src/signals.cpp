#include "skynet/runtime/signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <ctime>

namespace skynet::runtime {
namespace {

sigset_t watched_signals(bool hangup) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (hangup) {
        sigaddset(&set, SIGHUP);
    }
    return set;
}

}  // namespace

signal_watcher::signal_watcher(std::function<void(int)> on_signal, bool hangup)
    : on_signal_(std::move(on_signal)) {
    sigset_t set = watched_signals(hangup);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    thread_ = std::thread([this, set] {
        // Wakes every 100 ms to notice destruction: a signal cannot be sent to
        // this thread alone without also being taken as a stop request.
        const timespec tick{0, 100'000'000};
        while (!done_.load()) {
            int signal = sigtimedwait(&set, nullptr, &tick);
            if (signal > 0) {
                last_.store(signal);
                on_signal_(signal);
            }
        }
    });
}

signal_watcher::~signal_watcher() {
    done_.store(true);
    thread_.join();
}

}  // namespace skynet::runtime
