#pragma once
// spdlog loggers, one per component ("broker", "worker", "client"), writing
// key=value lines to stderr.

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

namespace skynet::runtime {

// The logger of a component, created on first use; every thread may use it.
std::shared_ptr<spdlog::logger> logger_for(std::string_view component);

// Sets the level of every logger, present and future. Throws
// std::invalid_argument for a name that is not a level.
void set_log_level(std::string_view level);

// set_log_level() for input from outside (sky log LEVEL): false, and nothing
// changed, for a name that is not a level.
bool try_set_log_level(std::string_view level) noexcept;

// True if `level` is one of trace, debug, info, warn, error, critical, off.
bool is_log_level(std::string_view level) noexcept;

}  // namespace skynet::runtime

namespace skynet::runtime {

// At most one message per interval, for warnings a peer can trigger at will
// (malformed frames): the rest are counted and reported with the next one.
class log_limiter {
public:
    explicit log_limiter(std::chrono::milliseconds interval = std::chrono::seconds(1))
        : interval_(interval) {}

    // True if a message may be logged now; then suppressed() says how many
    // were held back since the last one.
    bool allow(std::chrono::steady_clock::time_point now) noexcept {
        if (now < next_) {
            ++held_back_;
            return false;
        }
        next_ = now + interval_;
        last_held_back_ = std::exchange(held_back_, 0);
        return true;
    }
    std::uint64_t suppressed() const noexcept { return last_held_back_; }

private:
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point next_{};
    std::uint64_t held_back_ = 0;
    std::uint64_t last_held_back_ = 0;
};

}  // namespace skynet::runtime
