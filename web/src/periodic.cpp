#include "periodic.hpp"

#include <algorithm>

#include "skynet/runtime/logging.hpp"

namespace skynet::web {

periodic::periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> job)
    : name_(std::move(name)), interval_(interval), job_(std::move(job)) {
    thread_ = std::thread([this] { run(); });
}

periodic::~periodic() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void periodic::run() {
    auto next = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            job_();
        } catch (const std::exception& e) {
            runtime::logger_for("dashboard")->error("{}: {}", name_, e.what());
        } catch (...) {
            runtime::logger_for("dashboard")->error("{}: unknown exception", name_);
        }
        // A steady rhythm: a slow run does not push every later one back.
        next = std::max(next + interval_, std::chrono::steady_clock::now());
        lock.lock();
        wake_.wait_until(lock, next, [&] { return stopping_; });
    }
}

}  // namespace skynet::web
