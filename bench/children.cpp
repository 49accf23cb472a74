#include "children.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <mutex>

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

child_process::child_process(const std::vector<std::string>& argv,
                             const std::filesystem::path& log) {
    runtime::spawn_options options;
    options.argv = argv;
    options.in = runtime::child_stream::pipe();
    options.out = runtime::child_stream::pipe();
    if (!log.empty()) {
        options.err = runtime::child_stream::file(log, true);
    }
    // In our process group, as a helper of ours: a ^C reaches it too.
    options.own_process_group = false;
    process_ = runtime::child_process(std::move(options));  // throws std::system_error
    remember(process_.pid());
}

child_process::~child_process() {
    process_.close_stdin();
    process_.terminate(std::chrono::seconds(2));
    forget(process_.pid());
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
        pollfd p{process_.stdout_fd(), POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;  // timeout (checked above) or EINTR
        }
        std::array<char, 512> chunk{};
        const auto n = read(process_.stdout_fd(), chunk.data(), chunk.size());
        if (n <= 0) {
            return std::nullopt;  // it closed stdout: it is gone
        }
        buffered_.append(chunk.data(), static_cast<std::size_t>(n));
    }
}

}  // namespace skynet::bench
