#include "skynet/runtime/process_handle.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <utility>

namespace skynet::runtime {
namespace {

constexpr int start_time_field = 22;  // proc(5): starttime

// After the last ')' come field 3 (state) onwards, separated by spaces.
std::optional<std::uint64_t> field_after_name(std::string_view rest, int field) {
    int at = 3;
    std::size_t pos = 0;
    while (pos < rest.size() && rest[pos] == ' ') {
        ++pos;
    }
    while (at < field) {
        pos = rest.find(' ', pos);
        if (pos == std::string_view::npos) {
            return std::nullopt;
        }
        ++pos;
        ++at;
    }
    std::uint64_t value = 0;
    const char* end = rest.data() + rest.size();
    auto [next, ec] = std::from_chars(rest.data() + pos, end, value);
    if (ec != std::errc{} || (next != end && *next != ' ' && *next != '\n')) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<std::uint64_t> parse_start_time(std::string_view stat_line) {
    const auto close = stat_line.rfind(')');
    if (close == std::string_view::npos || stat_line.find('(') > close) {
        return std::nullopt;
    }
    return field_after_name(stat_line.substr(close + 1), start_time_field);
}

std::optional<std::uint64_t> process_start_time(pid_t pid) {
    if (pid <= 0) {
        return std::nullopt;
    }
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return in.bad() ? std::nullopt : parse_start_time(line);
}

std::optional<process_handle> process_handle::open(pid_t pid, std::uint64_t start_time) {
    if (pid <= 0) {
        return std::nullopt;
    }
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) {
        if (errno == ESRCH) {
            return std::nullopt;
        }
        throw std::system_error(errno, std::generic_category(),
                                "pidfd_open for pid " + std::to_string(pid));
    }
    process_handle handle;
    handle.pid_ = pid;
    handle.pidfd_ = fd;  // owned from here: closed if we refuse it below
    handle.start_time_ = start_time;
    // Checked after the pidfd is open: the pidfd names one process for
    // good, so a matching start time now means it names the expected one.
    if (process_start_time(pid) != start_time || !handle.alive()) {
        return std::nullopt;
    }
    handle.group_ = ::getpgid(pid) == pid ? pid : -1;
    return handle;
}

process_handle::~process_handle() {
    if (pidfd_ >= 0) {
        ::close(pidfd_);
    }
}

process_handle::process_handle(process_handle&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      group_(std::exchange(other.group_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      start_time_(std::exchange(other.start_time_, 0)) {}

process_handle& process_handle::operator=(process_handle&& other) noexcept {
    if (this != &other) {
        process_handle old(std::move(*this));  // closes our pidfd
        std::swap(pid_, other.pid_);
        std::swap(group_, other.group_);
        std::swap(pidfd_, other.pidfd_);
        std::swap(start_time_, other.start_time_);
    }
    return *this;
}

bool process_handle::wait_for(std::chrono::milliseconds limit) const {
    if (pidfd_ < 0) {
        return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{pidfd_, POLLIN, 0};
        const int n = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
        if (n > 0) {
            return true;  // a pidfd is readable once its process has ended
        }
        if ((n < 0 && errno != EINTR) || left.count() <= 0) {
            return false;
        }
    }
}

bool process_handle::alive() const {
    return !wait_for(std::chrono::milliseconds(0));
}

bool process_handle::signal(int signo) const {
    return pidfd_ >= 0 && ::syscall(SYS_pidfd_send_signal, pidfd_, signo, nullptr, 0) == 0;
}

bool process_handle::signal_group(int signo) const {
    if (group_ <= 0) {
        return signal(signo);
    }
    // While any member of the group lives the kernel keeps its id from
    // being reused, so the group is still this process's.
    return pidfd_ >= 0 && ::kill(-group_, signo) == 0;
}

bool process_handle::terminate(std::chrono::milliseconds grace) {
    if (pidfd_ < 0) {
        return true;
    }
    signal_group(SIGTERM);
    wait_for(grace);
    // Ended or out of grace: whatever is left of its group goes now.
    signal_group(SIGKILL);
    return wait_for(grace);
}

}  // namespace skynet::runtime
