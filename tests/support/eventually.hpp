#pragma once
// Waiting on a condition instead of sleeping: tests poll what they expect,
// with a deadline generous enough for a noisy 2-core machine.

#include <chrono>
#include <thread>

namespace skynet::testing {

inline constexpr std::chrono::milliseconds generous{15000};

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
