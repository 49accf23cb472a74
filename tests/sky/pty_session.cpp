#include "pty_session.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "support/eventually.hpp"

namespace skynet::testing {

using steady = std::chrono::steady_clock;

pty_session::pty_session(const std::string& program, const std::vector<std::string>& args,
                         const std::vector<std::string>& env) {
    winsize size{};
    size.ws_row = 50;
    size.ws_col = 200;
    pid_ = ::forkpty(&fd_, nullptr, nullptr, &size);
    if (pid_ < 0) {
        throw std::runtime_error("forkpty failed");
    }
    if (pid_ == 0) {
        ::setenv("TERM", "xterm", 1);
        for (const auto& e : env) {
            ::putenv(const_cast<char*>(e.c_str()));
        }
        std::vector<char*> argv{const_cast<char*>(program.c_str())};
        for (const auto& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
}

pty_session::~pty_session() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void pty_session::type(const std::string& keys) {
    eventually(
        [&] {
            termios mode{};
            return ::tcgetattr(fd_, &mode) == 0 && (mode.c_lflag & ICANON) == 0;
        },
        std::chrono::seconds(5));
    auto left = keys;
    while (!left.empty()) {
        auto n = ::write(fd_, left.data(), left.size());
        if (n <= 0) {
            return;
        }
        left.erase(0, static_cast<std::size_t>(n));
    }
}

void pty_session::read_some(int timeout_ms) {
    pollfd item{fd_, POLLIN, 0};
    if (::poll(&item, 1, timeout_ms) <= 0) {
        return;
    }
    char buffer[4096];
    auto n = ::read(fd_, buffer, sizeof buffer);  // EIO once the child is gone
    if (n > 0) {
        transcript_.append(buffer, static_cast<std::size_t>(n));
    }
}

bool pty_session::expect(const std::string& text, std::chrono::milliseconds limit) {
    auto deadline = steady::now() + limit;
    for (;;) {
        auto at = transcript_.find(text, matched_);
        if (at != std::string::npos) {
            matched_ = at + text.size();
            return true;
        }
        if (steady::now() >= deadline) {
            return false;
        }
        read_some(50);
    }
}

int pty_session::wait_exit(std::chrono::milliseconds limit) {
    auto deadline = steady::now() + limit;
    while (steady::now() < deadline) {
        read_some(20);  // a child blocked writing to a full terminal would never end
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
    }
    return -1;
}

}  // namespace skynet::testing
