#pragma once
// When to start an ended process again: a delay that doubles from
// `first_delay` to `max_delay` with some jitter, forgotten after a healthy
// run; too many failed runs within a window and it is crash-looping, with
// no retry until reset(). Pure logic: the clock and the jitter are given.

#include <chrono>
#include <deque>
#include <functional>
#include <optional>

namespace skynet::daemon {

struct restart_settings {
    std::chrono::milliseconds first_delay{1000};
    std::chrono::milliseconds max_delay{60000};
    double jitter = 0.1;  // each delay is scaled by 1 +- up to this
    // A run this long is healthy: the delay starts from first_delay again
    // and earlier failures are forgotten.
    std::chrono::milliseconds healthy_after{30000};
    // More than `crash_limit` failed runs within `crash_window`: crash-looping.
    std::chrono::milliseconds crash_window{120000};
    int crash_limit = 5;
};

class restart_tracker {
public:
    using clock = std::chrono::steady_clock;
    // `now` reads the time; `jitter` returns a number in [-1, 1] (scaled by
    // settings.jitter). Throws std::invalid_argument when either is empty
    // or a setting is out of range.
    restart_tracker(restart_settings settings, std::function<clock::time_point()> now,
                    std::function<double()> jitter);

    // A run began now.
    void started();
    // The run that began ended now. The delay before the next start, or
    // nothing: crash-looping (no more starts until reset()).
    std::optional<std::chrono::milliseconds> ended();
    // Forget every failure (a `reset` or `restart` command).
    void reset();

    bool crash_looping() const noexcept { return crash_looping_; }
    // Restarts since the last healthy run or reset.
    int restarts() const noexcept { return consecutive_; }

private:
    std::chrono::milliseconds next_delay();

    restart_settings settings_;
    std::function<clock::time_point()> now_;
    std::function<double()> jitter_;
    std::optional<clock::time_point> run_began_;
    std::deque<clock::time_point> failures_;  // ends of short runs, in the window
    int consecutive_ = 0;
    bool crash_looping_ = false;
};

}  // namespace skynet::daemon
