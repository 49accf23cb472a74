#include "stop_signal.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>

namespace skynet::registry::detail {

stop_signal::stop_signal(const char* owner) : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), std::string(owner) + ": eventfd");
    }
}

stop_signal::~stop_signal() { ::close(fd_); }

void stop_signal::raise() noexcept {
    raised_ = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

bool stop_signal::wait(int fd, std::optional<std::chrono::milliseconds> limit) const {
    pollfd items[2] = {{fd_, POLLIN, 0}, {fd, POLLIN, 0}};
    // Bounded at a minute, so that no wait outlives a lost wake-up for long.
    const int timeout =
        limit ? static_cast<int>(std::clamp<std::int64_t>(limit->count(), 0, 60000)) : -1;
    const int ready = ::poll(items, fd >= 0 ? 2 : 1, timeout);
    return ready > 0 && fd >= 0 && (items[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
}

}  // namespace skynet::registry::detail
