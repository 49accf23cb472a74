#include "children.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace skynet::bench {

namespace {

// The pids the watchdog must kill if the bench itself has to give up.
std::mutex children_mutex;
std::vector<pid_t> live_children;  // guarded by children_mutex

void remember(pid_t pid) {
    std::lock_guard lock(children_mutex);
    live_children.push_back(pid);
}

void forget(pid_t pid) {
    std::lock_guard lock(children_mutex);
    std::erase(live_children, pid);
}

}  // namespace

void kill_all_children() noexcept {
    // try_lock: the watchdog must not wait on a thread that may be stuck.
    if (!children_mutex.try_lock()) {
        return;
    }
    for (auto pid : live_children) {
        kill(pid, SIGKILL);
    }
    children_mutex.unlock();
}

std::string self_path() {
    std::array<char, 4096> path{};
    auto n = readlink("/proc/self/exe", path.data(), path.size() - 1);
    return n > 0 ? std::string(path.data(), static_cast<std::size_t>(n)) : "skynet-bench";
}

child_process::child_process(const std::vector<std::string>& argv) {
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);  // dup2 drops O_CLOEXEC
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_fd_ = in[1];
    stdout_fd_ = out[0];
    if (rc != 0) {
        close(stdin_fd_);
        close(stdout_fd_);
        throw std::runtime_error("cannot start " + argv[0]);
    }
    remember(pid_);
}

child_process::~child_process() {
    close(stdin_fd_);
    close(stdout_fd_);
    if (running()) {
        kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (running()) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            reaped_ = true;
        }
    }
    forget(pid_);
}

bool child_process::running() {
    if (reaped_) {
        return false;
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        reaped_ = true;
    }
    return !reaped_;
}

std::optional<std::string> child_process::read_line(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (auto eol = buffered_.find('\n'); eol != std::string::npos) {
            auto line = buffered_.substr(0, eol);
            buffered_.erase(0, eol + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        pollfd p{stdout_fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;  // timeout (checked above) or EINTR
        }
        std::array<char, 512> chunk{};
        const auto n = read(stdout_fd_, chunk.data(), chunk.size());
        if (n <= 0) {
            return std::nullopt;  // it closed stdout: it is gone
        }
        buffered_.append(chunk.data(), static_cast<std::size_t>(n));
    }
}

}  // namespace skynet::bench
