// restart_tracker: the backoff, the crash-loop verdict and the reset after a
// healthy run, on a clock the test advances.
#include "skynet/daemon/restart_tracker.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using namespace std::chrono_literals;
using skynet::daemon::restart_settings;
using skynet::daemon::restart_tracker;

struct fake_time {
    restart_tracker::clock::time_point now{};
    double jitter = 0.0;

    restart_tracker make(restart_settings settings = {}) {
        return restart_tracker(
            settings, [this] { return now; }, [this] { return jitter; });
    }
};

// A run of `length` that ends: the delay it gets.
std::optional<std::chrono::milliseconds> run(fake_time& time, restart_tracker& tracker,
                                             std::chrono::milliseconds length) {
    tracker.started();
    time.now += length;
    return tracker.ended();
}

TEST(RestartTracker, DelaysDoubleFromOneSecondToTheCap) {
    fake_time time;
    restart_settings settings;
    settings.crash_limit = 100;  // this test is about the delays only
    auto tracker = time.make(settings);
    std::vector<std::chrono::milliseconds> delays;
    for (int i = 0; i < 9; ++i) {
        auto delay = run(time, tracker, 100ms);
        ASSERT_TRUE(delay.has_value());
        delays.push_back(*delay);
        time.now += *delay;
    }
    const std::vector<std::chrono::milliseconds> expected{1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s, 60s};
    EXPECT_EQ(delays, expected);
    EXPECT_EQ(tracker.restarts(), 9);
}

TEST(RestartTracker, JitterMovesADelayByAtMostItsShare) {
    fake_time time;
    auto tracker = time.make();
    time.jitter = 1.0;
    EXPECT_EQ(run(time, tracker, 10ms), 1100ms);
    time.jitter = -1.0;
    EXPECT_EQ(run(time, tracker, 10ms), 1800ms);
    time.jitter = 7.0;  // out of range: clamped
    EXPECT_EQ(run(time, tracker, 10ms), 4400ms);
}

TEST(RestartTracker, MoreThanFiveFailuresInTheWindowIsCrashLooping) {
    fake_time time;
    auto tracker = time.make();
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(run(time, tracker, 10ms).has_value()) << i;
        time.now += 1s;
    }
    EXPECT_FALSE(tracker.crash_looping());
    EXPECT_FALSE(run(time, tracker, 10ms).has_value());
    EXPECT_TRUE(tracker.crash_looping());
    tracker.reset();
    EXPECT_FALSE(tracker.crash_looping());
    EXPECT_EQ(run(time, tracker, 10ms), 1s);
}

TEST(RestartTracker, FailuresOlderThanTheWindowDoNotCount) {
    fake_time time;
    auto tracker = time.make();
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(run(time, tracker, 10ms).has_value()) << i;
        time.now += 25s;  // at most 5 failures within any 120 s
    }
    EXPECT_FALSE(tracker.crash_looping());
}

TEST(RestartTracker, AHealthyRunStartsTheDelaysOver) {
    fake_time time;
    auto tracker = time.make();
    ASSERT_EQ(run(time, tracker, 10ms), 1s);
    ASSERT_EQ(run(time, tracker, 10ms), 2s);
    ASSERT_EQ(run(time, tracker, 10ms), 4s);
    EXPECT_EQ(run(time, tracker, 30s), 1s);
    EXPECT_EQ(tracker.restarts(), 1);
    EXPECT_EQ(run(time, tracker, 29s), 2s);
}

TEST(RestartTracker, RefusesMissingHooksAndBadSettings) {
    EXPECT_THROW(restart_tracker({}, nullptr, [] { return 0.0; }), std::invalid_argument);
    restart_settings bad;
    bad.jitter = 1.5;
    EXPECT_THROW(restart_tracker(
                     bad, [] { return restart_tracker::clock::time_point{}; }, [] { return 0.0; }),
                 std::invalid_argument);
}

}  // namespace
