#include "control_box.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace skynet::worker_detail {

control_box::control_box() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "eventfd");
    }
}

control_box::~control_box() { ::close(fd_); }

void control_box::set_brokers(std::vector<std::string> endpoints) {
    {
        std::lock_guard lock(mutex_);
        pending_.brokers = std::move(endpoints);
    }
    wake();
}

void control_box::set_registered(bool registered) {
    {
        std::lock_guard lock(mutex_);
        pending_.registered = registered;
    }
    wake();
}

control_box::changes control_box::take() {
    std::uint64_t count = 0;
    [[maybe_unused]] auto n = ::read(fd_, &count, sizeof count);
    std::lock_guard lock(mutex_);
    return std::exchange(pending_, changes{});
}

void control_box::wake() noexcept {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

}  // namespace skynet::worker_detail
