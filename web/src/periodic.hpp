#pragma once
// A thread that runs a job every `interval` until destroyed. The job's
// exceptions are logged, never let out of the thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace skynet::web {

class periodic {
public:
    periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> job);
    // Ends the wait at once; joins after the job's current run.
    ~periodic();
    periodic(const periodic&) = delete;
    periodic& operator=(const periodic&) = delete;

private:
    void run();

    const std::string name_;
    const std::chrono::milliseconds interval_;
    std::function<void()> job_;
    std::mutex mutex_;  // guards stopping_
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace skynet::web
