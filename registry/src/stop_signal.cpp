#include "stop_signal.hpp"

#include <poll.h>

#include <algorithm>

namespace skynet::registry::detail {

void stop_signal::raise() noexcept {
    raised_ = true;
    wake_.signal();
}

bool stop_signal::wait(int fd, std::optional<std::chrono::milliseconds> limit, int also) const {
    // A negative descriptor is skipped by poll().
    pollfd items[3] = {{wake_.fd(), POLLIN, 0}, {fd, POLLIN, 0}, {also, POLLIN, 0}};
    // Bounded at a minute, so that no wait outlives a lost wake-up for long.
    const int timeout =
        limit ? static_cast<int>(std::clamp<std::int64_t>(limit->count(), 0, 60000)) : -1;
    const int ready = ::poll(items, 3, timeout);
    return ready > 0 && fd >= 0 && (items[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
}

}  // namespace skynet::registry::detail
