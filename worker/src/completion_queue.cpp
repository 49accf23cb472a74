#include <sys/eventfd.h>
#include <unistd.h>

#include <system_error>

#include "shared_state.hpp"

namespace skynet::worker_detail {

completion_queue::completion_queue() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "eventfd");
    }
}

completion_queue::~completion_queue() { ::close(fd_); }

void completion_queue::push(completion&& c) {
    bool was_empty = false;
    {
        std::lock_guard lock(mutex_);
        if (closed_) {
            return;
        }
        was_empty = queue_.empty();
        queue_.push_back(std::move(c));
    }
    // One wake-up per batch: the consumer takes everything at once.
    if (was_empty) {
        std::uint64_t one = 1;
        [[maybe_unused]] auto n = write(fd_, &one, sizeof one);
    }
}

void completion_queue::take_all(std::vector<completion>& out) {
    out.clear();
    std::uint64_t count = 0;
    [[maybe_unused]] auto n = read(fd_, &count, sizeof count);
    std::lock_guard lock(mutex_);
    std::swap(out, queue_);  // both vectors keep their capacity
}

void completion_queue::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    queue_.clear();
}

}  // namespace skynet::worker_detail
