#include "close_fd.hpp"

#include <unistd.h>

namespace skynet::daemon::detail {

void close_fd(int& fd) noexcept {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

}  // namespace skynet::daemon::detail
