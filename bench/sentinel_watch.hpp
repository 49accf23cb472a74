#pragma once
// Listens on every sentinel for the news of a failover (+odown: the master
// is taken for down by a quorum; +switch-master: a replica was promoted),
// noting when each first arrived on any of them, and counts +tilt: a
// sentinel whose timer stalled for seconds (an overloaded machine) acts on
// nothing for 30 s, and the failover waits.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace skynet::bench {

class sentinel_watch {
public:
    using time_point = std::chrono::steady_clock::time_point;

    // Subscribes on each sentinel, a thread each.
    explicit sentinel_watch(const std::vector<int>& sentinel_ports);
    ~sentinel_watch();  // leaves within 100 ms
    sentinel_watch(const sentinel_watch&) = delete;
    sentinel_watch& operator=(const sentinel_watch&) = delete;

    // True once every sentinel confirmed both subscriptions.
    bool wait_subscribed(std::chrono::milliseconds limit) const;
    // True once a +switch-master came; false at the deadline.
    bool wait_switch(std::chrono::milliseconds limit) const;

    std::optional<time_point> odown_at() const;
    std::optional<time_point> switch_at() const;
    // The new master's port, as the first +switch-master said; 0 before.
    int new_master_port() const;
    // +tilt messages seen so far, on any sentinel.
    int tilts() const;

private:
    void listen(int port);
    void note(const std::vector<std::string>& push, time_point when);

    mutable std::mutex mutex_;
    std::optional<time_point> odown_;   // guarded by mutex_
    std::optional<time_point> switch_;  // guarded by mutex_
    int new_port_ = 0;                  // guarded by mutex_
    int tilts_ = 0;                     // guarded by mutex_
    std::atomic<int> confirmed_{0};
    std::atomic<bool> leaving_{false};
    std::vector<std::thread> threads_;
};

}  // namespace skynet::bench
