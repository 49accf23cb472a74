#pragma once
// Time on the bus: a monotonic clock for deadlines and heartbeats. Budgets
// travel as milliseconds left (docs/design.md), so clocks of different hosts never
// need to agree.

#include <chrono>
#include <cstdint>

namespace skynet::bus {

using clock = std::chrono::steady_clock;
using time_point = clock::time_point;
using std::chrono::milliseconds;

// Whole milliseconds from `now` until `deadline`, 0 if it has passed.
inline std::int64_t millis_left(time_point deadline, time_point now) noexcept {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - now).count();
    return left > 0 ? left : 0;
}

// The deadline of a budget of `ms` milliseconds that starts at `now`. Budgets
// past a year are treated as a year, so that adding them cannot overflow.
inline time_point deadline_after(std::int64_t ms, time_point now) noexcept {
    constexpr std::int64_t year_ms = 365LL * 24 * 3600 * 1000;
    return now + milliseconds(ms < 0 ? 0 : (ms > year_ms ? year_ms : ms));
}

}  // namespace skynet::bus
