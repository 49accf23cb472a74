#include "outcome_log.hpp"

#include "skynet/runtime/logging.hpp"

namespace skynet::worker_detail {

bool warn_limiter::allow(std::chrono::steady_clock::time_point now, std::uint64_t& suppressed) {
    std::lock_guard lock(mutex_);
    if (now >= window_end_) {
        window_end_ = now + window_;
        in_window_ = 0;
    }
    if (in_window_ >= per_window_) {
        ++held_back_;
        return false;
    }
    ++in_window_;
    suppressed = std::exchange(held_back_, 0);
    return true;
}

outcome_log::outcome_log() : log_(runtime::logger_for("worker")) {}

void outcome_log::configure(std::string service, bool access_log) {
    service_ = std::move(service);
    access_ = access_log;
}

void outcome_log::handler_threw(std::string_view method, std::string_view what) noexcept {
    std::uint64_t suppressed = 0;
    try {
        if (threw_.allow(std::chrono::steady_clock::now(), suppressed)) {
            log_->warn("handler threw service={} method={} error=\"{}\" suppressed={}", service_,
                       method, what, suppressed);
        }
    } catch (...) {
        // A log line that cannot be written (no memory) is not worth a reply.
    }
}

void outcome_log::unknown_method(std::string_view method) noexcept {
    std::uint64_t suppressed = 0;
    try {
        if (unknown_.allow(std::chrono::steady_clock::now(), suppressed)) {
            log_->warn("unknown method service={} method={} suppressed={}", service_, method,
                       suppressed);
        }
    } catch (...) {
        // As above.
    }
}

void outcome_log::access_line(std::string_view method, std::string_view request_id, bus::errc code,
                              std::chrono::nanoseconds took) noexcept {
    try {
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
        log_->info("access service={} method={} request_id={} code={} took_us={}", service_, method,
                   request_id, bus::to_string(code), micros);
    } catch (...) {
        // As above.
    }
}

}  // namespace skynet::worker_detail
