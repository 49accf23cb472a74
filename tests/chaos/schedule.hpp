#pragma once
// The chaos itself: a bounded schedule of kills, freezes and restarts, run
// on its own thread while traffic flows. One broker stays up throughout
// (broker-0 is never killed while broker-1 is down), so that the bus can keep
// its promise to idempotent calls; everything else fails in turn.
//
// Each round: SIGKILL a worker (0 or 2) and start it again; SIGSTOP another
// (1 or 3) past its liveness, then SIGCONT; SIGKILL broker-1, let it stay
// down, then start it again on its port; restart Redis (its data is lost).
// After the last round: a rolling restart of every process (SIGTERM, drain,
// new incarnation). Between steps the cluster must recover (ready()) within
// a bound; a recovery that times out is counted, never waited on for ever.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "chaos_cluster.hpp"

namespace skynet::testing::chaos {

struct chaos_counts {
    int rounds = 0;
    int worker_kills = 0;
    int worker_freezes = 0;
    int broker_kills = 0;
    int redis_restarts = 0;
    int graceful_restarts = 0;  // processes restarted by the final rolling restart
    int slow_recoveries = 0;    // ready() did not hold within its bound
};

class schedule {
public:
    // Runs rounds until `chaos_for` has passed, then the rolling restart.
    // `note` receives one line per step (for the test's output).
    schedule(cluster& c, std::chrono::seconds chaos_for,
             std::function<void(const std::string&)> note);
    ~schedule();  // joins
    schedule(const schedule&) = delete;
    schedule& operator=(const schedule&) = delete;

    void join();
    // Read after join().
    const chaos_counts& counts() const noexcept { return counts_; }

private:
    void run();
    void round(int n);
    void restart_all();
    // Waits until the cluster is ready again; counts a slow recovery.
    void recover(const char* after);
    bool due() const;
    void pause(std::chrono::milliseconds how_long);

    cluster& cluster_;
    const std::chrono::steady_clock::time_point end_;
    std::function<void(const std::string&)> note_;
    chaos_counts counts_;
    std::thread thread_;
};

}  // namespace skynet::testing::chaos
