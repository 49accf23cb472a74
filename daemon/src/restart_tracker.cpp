#include "skynet/daemon/restart_tracker.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace skynet::daemon {

restart_tracker::restart_tracker(restart_settings settings, std::function<clock::time_point()> now,
                                 std::function<double()> jitter)
    : settings_(settings), now_(std::move(now)), jitter_(std::move(jitter)) {
    if (!now_ || !jitter_) {
        throw std::invalid_argument("restart_tracker: a clock and a jitter source are required");
    }
    if (settings_.first_delay.count() <= 0 || settings_.max_delay < settings_.first_delay ||
        settings_.jitter < 0 || settings_.jitter >= 1 || settings_.crash_limit < 1) {
        throw std::invalid_argument("restart_tracker: settings out of range");
    }
}

void restart_tracker::started() {
    run_began_ = now_();
}

std::optional<std::chrono::milliseconds> restart_tracker::ended() {
    const auto now = now_();
    const bool healthy = run_began_ && now - *run_began_ >= settings_.healthy_after;
    run_began_.reset();
    if (healthy) {
        failures_.clear();
        consecutive_ = 0;
    } else {
        failures_.push_back(now);
    }
    while (!failures_.empty() && now - failures_.front() > settings_.crash_window) {
        failures_.pop_front();
    }
    if (static_cast<int>(failures_.size()) > settings_.crash_limit) {
        crash_looping_ = true;
        return std::nullopt;
    }
    auto delay = next_delay();
    ++consecutive_;
    return delay;
}

void restart_tracker::reset() {
    failures_.clear();
    consecutive_ = 0;
    crash_looping_ = false;
    run_began_.reset();
}

// first_delay * 2^consecutive, capped, then scaled by 1 + jitter so that
// processes that failed together do not all come back in the same instant.
std::chrono::milliseconds restart_tracker::next_delay() {
    auto delay = settings_.first_delay;
    for (int i = 0; i < consecutive_ && delay < settings_.max_delay; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, settings_.max_delay);
    const double spread = std::clamp(jitter_(), -1.0, 1.0) * settings_.jitter;
    const auto scaled = static_cast<double>(delay.count()) * (1.0 + spread);
    return std::chrono::milliseconds(static_cast<std::int64_t>(scaled));
}

}  // namespace skynet::daemon
