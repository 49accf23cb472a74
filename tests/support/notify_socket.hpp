#pragma once
// A datagram socket standing where systemd's notify socket would be, for
// tests of processes that speak sd_notify (test machines may not run
// systemd). Point the child's NOTIFY_SOCKET at path().

#include <filesystem>
#include <string>

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

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace skynet::testing
