#pragma once
// Waiting on a condition instead of sleeping: tests poll what they expect,
// with a deadline generous enough for a noisy 2-core machine.

#include <chrono>
#include <cstdlib>
#include <thread>

namespace skynet::testing {

inline constexpr std::chrono::milliseconds generous{15000};

// Heartbeats and short timeouts of tests, stretched by SKYNET_TEST_TIME_SCALE
// (an integer, default 1) for builds that run many times slower, such as
// ThreadSanitizer's: there a 100 ms heartbeat would declare healthy peers dead.
inline std::chrono::milliseconds scaled(std::chrono::milliseconds t) {
    static const int scale = [] {
        const char* text = std::getenv("SKYNET_TEST_TIME_SCALE");
        const int value = text != nullptr ? std::atoi(text) : 1;
        return value > 0 ? value : 1;
    }();
    return t * scale;
}

// Polls `condition` until it holds or `limit` passes; its last value.
template <class Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds limit = generous) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return condition();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace skynet::testing
