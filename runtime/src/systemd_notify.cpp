#include "skynet/runtime/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <atomic>
#include <cstring>
#include <exception>
#include <string>

#include "skynet/runtime/logging.hpp"

namespace skynet::runtime {
namespace {

std::atomic<bool> warned{false};

// sd_notify() returns > 0 when sent, 0 without NOTIFY_SOCKET, < 0 (-errno)
// when sending failed.
bool send(const char* state) noexcept {
    const int rc = ::sd_notify(0, state);
    if (rc >= 0) {
        return rc > 0;
    }
    try {
        auto log = logger_for("systemd");
        if (!warned.exchange(true)) {
            log->warn("cannot notify systemd state={} error=\"{}\"", state, std::strerror(-rc));
        } else {
            log->debug("cannot notify systemd state={} error=\"{}\"", state, std::strerror(-rc));
        }
    } catch (const std::exception&) {
        // No logger (out of memory): the notification is lost either way.
    }
    return false;
}

}  // namespace

bool notify_ready() noexcept {
    return send("READY=1");
}

bool notify_stopping() noexcept {
    return send("STOPPING=1");
}

bool notify_watchdog() noexcept {
    return send("WATCHDOG=1");
}

bool notify_status(std::string_view text) noexcept {
    try {
        std::string state = "STATUS=";
        for (char c : text) {
            // One assignment per line: a break would end STATUS= early.
            state += (c == '\n' || c == '\r') ? ' ' : c;
        }
        return send(state.c_str());
    } catch (const std::exception&) {
        return false;  // std::bad_alloc
    }
}

std::optional<std::chrono::microseconds> watchdog_interval() noexcept {
    std::uint64_t usec = 0;
    // > 0: a watchdog for this process (checks WATCHDOG_PID against getpid()).
    if (::sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        return std::chrono::microseconds(usec);
    }
    return std::nullopt;
}

}  // namespace skynet::runtime
