#pragma once
// A datagram socket standing where systemd's notify socket would be, for
// tests of processes that speak sd_notify (test machines may not run
// systemd). Point the child's NOTIFY_SOCKET at path().

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "process.hpp"

namespace skynet::testing {

class notify_socket {
public:
    explicit notify_socket(std::filesystem::path path);
    ~notify_socket();
    notify_socket(const notify_socket&) = delete;
    notify_socket& operator=(const notify_socket&) = delete;
    const std::filesystem::path& path() const { return path_; }
    // What has arrived since the last call (messages joined by newlines);
    // it does not wait.
    std::string receive();
    // What arrives until `done(all of it so far)` holds or `within` passes.
    std::string receive_until(const std::function<bool(const std::string&)>& done,
                              std::chrono::milliseconds within);

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

// The environment systemd gives a Type=notify unit's process, set while it
// lives, for the child started meanwhile (the child inherits it; nothing else
// of the test reads it).
class notify_environment {
public:
    notify_environment(const notify_socket& socket, const char* watchdog_usec) {
        ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
        ::setenv("WATCHDOG_USEC", watchdog_usec, 1);
    }
    ~notify_environment() {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
    }
    notify_environment(const notify_environment&) = delete;
    notify_environment& operator=(const notify_environment&) = delete;
};

// `program` started as systemd starts a Type=notify unit's process: with
// NOTIFY_SOCKET at `socket` and WATCHDOG_USEC (microseconds; "0": none).
std::unique_ptr<child_process> start_notifying(const notify_socket& socket,
                                               const std::string& program,
                                               std::vector<std::string> args,
                                               const char* watchdog_usec = "0");

// How often `word` ("READY=1") is in what a notify socket received.
inline std::size_t count_of(const std::string& text, const std::string& word) {
    std::size_t n = 0;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace skynet::testing
