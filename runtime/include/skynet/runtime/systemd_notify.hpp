#pragma once
// Telling systemd how a Type=notify service is doing (sd_notify(3)): ready,
// stopping, a status line, and watchdog pings. Every call is a no-op when
// NOTIFY_SOCKET is unset, so a process runs the same outside systemd (in a
// shell, a test, or under another supervisor).
//
//     runtime::notify_ready();
//     if (auto every = runtime::watchdog_interval()) { ping every *every / 2 }
//     ...
//     runtime::notify_stopping();

#include <chrono>
#include <optional>
#include <string_view>

namespace skynet::runtime {

// Each returns true if the message was sent, false if there is no one to
// send it to (NOTIFY_SOCKET unset) or it could not be sent (the first such
// failure of the process is logged as a warning, later ones at debug: a
// watchdog ping every few seconds must not flood the log). Never throws.
// Any thread may call them.

// READY=1: start-up is done (Type=notify waits for it).
bool notify_ready() noexcept;
// STOPPING=1: a stop has begun.
bool notify_stopping() noexcept;
// STATUS=<text>: a line for `systemctl status`; line breaks become spaces.
bool notify_status(std::string_view text) noexcept;
// WATCHDOG=1: we are alive; send it at least once per watchdog_interval().
bool notify_watchdog() noexcept;

// How often systemd expects WATCHDOG=1 (WatchdogSec=, passed as
// WATCHDOG_USEC), or nothing if there is no watchdog for this process
// (unset, or WATCHDOG_PID names another process). Ping at half of it.
std::optional<std::chrono::microseconds> watchdog_interval() noexcept;

}  // namespace skynet::runtime
