#pragma once
// A steady stream of idempotent calls, as a busy caller makes them, while a
// test breaks the network underneath: it counts what every call ended with.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "skynet/client/client.hpp"

namespace skynet::testing {

struct traffic_options {
    std::string service;
    std::string method;
    std::int64_t sleep_ms = 5;  // the `ms` parameter of each call
    int callers = 6;            // threads, each with one synchronous call in flight
    std::chrono::milliseconds call_timeout{20000};
    // It stops by itself after these, whatever the test does.
    std::uint64_t max_calls = 200000;
    std::chrono::milliseconds max_duration{120000};
};

class traffic {
public:
    // Starts the callers at once. `c` must outlive this object.
    traffic(client& c, traffic_options options);
    ~traffic();  // stop()
    traffic(const traffic&) = delete;
    traffic& operator=(const traffic&) = delete;

    // Lets the calls in flight end, then joins the callers.
    void stop();

    std::uint64_t sent() const noexcept { return sent_.load(); }
    std::uint64_t succeeded() const noexcept { return succeeded_.load(); }
    std::uint64_t failed() const noexcept { return failed_.load(); }
    // The longest any call took: a call the broker ran again waited for the
    // dead worker's liveness first.
    std::chrono::milliseconds slowest() const noexcept {
        return std::chrono::milliseconds(slowest_ms_.load());
    }
    // The first few failures, "CODE: detail", one a line.
    std::string failures() const;

private:
    void call_until_stopped();
    void note_duration(std::chrono::steady_clock::duration took);

    client& client_;
    const traffic_options options_;
    const std::chrono::steady_clock::time_point give_up_at_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> sent_{0}, succeeded_{0}, failed_{0};
    std::atomic<std::int64_t> slowest_ms_{0};
    mutable std::mutex failures_mutex_;  // guards failures_
    std::vector<std::string> failures_;
    std::vector<std::thread> callers_;  // last: they use everything above
};

}  // namespace skynet::testing
