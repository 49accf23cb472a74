#include "tcp_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace skynet::testing {
namespace {

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

int connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

tcp_relay::tcp_relay(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback(0);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0) {
        throw std::runtime_error("tcp_relay: cannot listen");
    }
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { run(); });
}

tcp_relay::~tcp_relay() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
}

std::string tcp_relay::recorded() const {
    std::lock_guard lock(mutex_);
    return recorded_;
}

// fds[0] is the listener; then pairs (i, i ^ 1 after the listener) of an
// accepted connection and its upstream one.
void tcp_relay::run() {
    std::vector<pollfd> fds{{listener_, POLLIN, 0}};
    char buffer[65536];
    while (!stopping_) {
        ::poll(fds.data(), fds.size(), 20);  // the timeout only lets stopping_ be seen
        if (fds[0].revents & POLLIN) {
            const int accepted = ::accept(listener_, nullptr, nullptr);
            const int upstream = connect_to(upstream_port_);
            if (accepted >= 0 && upstream >= 0) {
                fds.push_back({accepted, POLLIN, 0});
                fds.push_back({upstream, POLLIN, 0});
            }
        }
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            const std::size_t peer = ((i - 1) ^ 1) + 1;
            const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0 || fds[peer].fd < 0 || ::write(fds[peer].fd, buffer, n) != n) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                if (fds[peer].fd >= 0) {
                    ::close(fds[peer].fd);
                    fds[peer].fd = -1;
                }
                continue;
            }
            std::lock_guard lock(mutex_);
            recorded_.append(buffer, static_cast<std::size_t>(n));
        }
    }
    for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].fd >= 0) {
            ::close(fds[i].fd);
        }
    }
}

}  // namespace skynet::testing
