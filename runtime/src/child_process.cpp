#include "skynet/runtime/child_process.hpp"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <utility>

#include "spawn.hpp"

namespace skynet::runtime {

std::string exit_status::to_string() const {
    if (signal == 0) {
        return "exit " + std::to_string(code);
    }
    const char* name = sigabbrev_np(signal);
    return name != nullptr ? "signal SIG" + std::string(name) : "signal " + std::to_string(signal);
}

child_process::child_process(spawn_options options) {
    auto started = spawn_detail::spawn(options);
    pid_ = started.pid;
    group_ = options.own_process_group ? started.pid : -1;
    for (int i = 0; i < 3; ++i) {
        fds_[i] = started.fds[i];
    }
    // Its pid is ours until we reap it, so the pidfd names this child.
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
}

child_process::~child_process() {
    if (pid_ > 0 && !status_) {
        if (group_ > 0) {
            ::kill(-group_, SIGKILL);
        } else {
            ::kill(pid_, SIGKILL);
        }
        reap(0);
    }
    release();
}

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      group_(std::exchange(other.group_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      status_(std::move(other.status_)) {
    for (int i = 0; i < 3; ++i) {
        fds_[i] = std::exchange(other.fds_[i], -1);
    }
}

child_process& child_process::operator=(child_process&& other) noexcept {
    if (this != &other) {
        child_process old(std::move(*this));  // ended by its destructor
        std::swap(pid_, other.pid_);
        std::swap(group_, other.group_);
        std::swap(pidfd_, other.pidfd_);
        std::swap(fds_, other.fds_);
        std::swap(status_, other.status_);
    }
    return *this;
}

void child_process::release() noexcept {
    for (int& fd : fds_) {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
    if (pidfd_ >= 0) {
        ::close(pidfd_);
        pidfd_ = -1;
    }
}

void child_process::detach() noexcept {
    release();
    pid_ = -1;
    group_ = -1;
    status_.reset();
}

void child_process::close_stdin() noexcept {
    if (fds_[0] >= 0) {
        ::close(fds_[0]);
        fds_[0] = -1;
    }
}

// Reaps it if it has ended (WNOHANG) or once it ends (0).
void child_process::reap(int wait_flags) {
    if (pid_ <= 0 || status_) {
        return;
    }
    int raw = 0;
    pid_t got = 0;
    do {
        got = ::waitpid(pid_, &raw, wait_flags);
    } while (got < 0 && errno == EINTR);
    if (got == pid_) {
        status_ = WIFEXITED(raw) ? exit_status{WEXITSTATUS(raw), 0}
                                 : exit_status{0, WIFSIGNALED(raw) ? WTERMSIG(raw) : 0};
    } else if (got < 0) {
        status_ = exit_status{-1, 0};  // ECHILD: someone else reaped it
    }
}

bool child_process::running() {
    reap(WNOHANG);
    return pid_ > 0 && !status_;
}

bool child_process::ended_within(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        siginfo_t info{};
        // WNOWAIT: it stays a zombie, so its pid (and group) cannot be reused yet.
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
            info.si_pid == pid_) {
            return true;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        if (pidfd_ >= 0) {
            pollfd p{pidfd_, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(left.count()));  // EINTR: checked again above
        } else {
            std::this_thread::sleep_for(std::min(pause, left));  // no pidfd: poll its state
            pause = std::min(pause * 2, std::chrono::milliseconds(20));
        }
    }
}

std::optional<exit_status> child_process::wait_for(std::chrono::milliseconds limit) {
    if (pid_ > 0 && !status_ && ended_within(limit)) {
        reap(0);
    }
    return status_;
}

exit_status child_process::wait() {
    reap(0);
    return status_.value_or(exit_status{-1, 0});
}

bool child_process::signal(int signo) {
    return pid_ > 0 && !status_ && ::kill(pid_, signo) == 0;
}

bool child_process::signal_group(int signo) {
    if (group_ <= 0) {
        return signal(signo);
    }
    return pid_ > 0 && !status_ && ::kill(-group_, signo) == 0;
}

exit_status child_process::terminate(std::chrono::milliseconds grace) {
    if (pid_ <= 0 || status_) {
        return status_.value_or(exit_status{-1, 0});
    }
    signal_group(SIGTERM);
    ended_within(grace);
    // It has ended (unreaped, so its group id is still ours) or had its
    // grace: whatever is left of its group goes now, its descendants too.
    signal_group(SIGKILL);
    return wait();
}

}  // namespace skynet::runtime
