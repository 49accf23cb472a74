#include "skynet/runtime/event_fd.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>

namespace skynet::runtime {

event_fd::event_fd(const char* owner) : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), std::string(owner) + ": eventfd");
    }
}

event_fd::~event_fd() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

event_fd::event_fd(event_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

event_fd& event_fd::operator=(event_fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
}

// The counter cannot overflow in practice (2^64 - 2 writes before a read);
// a failed write then still leaves the fd readable, which is all it means.
void event_fd::signal() const noexcept {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

// Non-blocking: reading an unsignalled fd fails with EAGAIN and changes nothing.
bool event_fd::drain() const noexcept {
    std::uint64_t count = 0;
    return ::read(fd_, &count, sizeof count) == sizeof count;
}

}  // namespace skynet::runtime
