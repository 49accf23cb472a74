#pragma once
// What the worker says about how requests ended: a handler that threw and a
// request for a method nobody registered, at warn and rate-limited (a
// caller can cause either at will); and, when asked for, an access log line
// per request at info.

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "skynet/bus/errc.hpp"

namespace skynet::worker_detail {

// At most `per_window` lines per window of one kind; the rest are counted,
// and the next line that passes says how many were held back. Thread-safe:
// any of the worker's threads may report.
class warn_limiter {
public:
    explicit warn_limiter(int per_window, std::chrono::milliseconds window)
        : per_window_(per_window), window_(window) {}

    // True if a line may go out now; `suppressed` is then the count held
    // back since the last line that went out.
    bool allow(std::chrono::steady_clock::time_point now, std::uint64_t& suppressed);

private:
    const int per_window_;
    const std::chrono::milliseconds window_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point window_end_{};  // guarded by mutex_
    int in_window_ = 0;                                   // guarded by mutex_
    std::uint64_t held_back_ = 0;                         // guarded by mutex_
};

class outcome_log {
public:
    // Lines of one kind per second at most, before they are only counted.
    static constexpr int warn_lines_per_second = 10;

    outcome_log();

    // Set before the worker starts, read by its threads afterwards.
    void configure(std::string service, bool access_log);

    // Any thread. Never throws: logging is not a reason to lose a reply.
    void handler_threw(std::string_view method, std::string_view what) noexcept;
    void unknown_method(std::string_view method) noexcept;
    // One access line, if the access log is on.
    void finished(std::string_view method, std::string_view request_id, bus::errc code,
                  std::chrono::nanoseconds took) noexcept {
        if (access_) {
            access_line(method, request_id, code, took);
        }
    }

private:
    void access_line(std::string_view method, std::string_view request_id, bus::errc code,
                     std::chrono::nanoseconds took) noexcept;

    std::shared_ptr<spdlog::logger> log_;
    std::string service_;
    bool access_ = false;
    warn_limiter threw_{warn_lines_per_second, std::chrono::seconds(1)};
    warn_limiter unknown_{warn_lines_per_second, std::chrono::seconds(1)};
};

}  // namespace skynet::worker_detail
