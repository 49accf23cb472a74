#include "spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

extern char** environ;

namespace skynet::runtime::spawn_detail {
namespace {

// What the child reports through the error pipe when it cannot exec.
enum class stage : int { stream, working_dir, limits, exec };
struct failure {
    stage where;
    int error;
};

const char* describe(stage where) {
    switch (where) {
        case stage::stream:
            return "cannot open a standard stream";
        case stage::working_dir:
            return "cannot enter its working directory";
        case stage::limits:
            return "cannot set its resource limits";
        case stage::exec:
            return "cannot run it";
    }
    return "cannot start it";
}

// The executable for argv[0]: a path as given, or the first PATH entry
// holding an executable of that name. Looked up here, not in the child:
// execvp may allocate.
std::string find_executable(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    const char* path = std::getenv("PATH");
    std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!dirs.empty()) {
        const auto colon = dirs.find(':');
        std::string candidate(dirs.substr(0, colon));
        candidate += (candidate.empty() ? "./" : "/") + name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    }
    throw std::system_error(ENOENT, std::generic_category(), "cannot start " + name);
}

// Our environment but its unset_env, with `env` over it (or `env` alone).
std::vector<std::string> environment(const spawn_options& options) {
    std::vector<std::string> env;
    auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
    for (char** e = options.clear_env ? nullptr : environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        if (std::find(options.unset_env.begin(), options.unset_env.end(), name_of(entry)) ==
            options.unset_env.end()) {
            env.emplace_back(entry);
        }
    }
    for (const auto& entry : options.env) {
        std::erase_if(env, [&](const std::string& e) { return name_of(e) == name_of(entry); });
        env.push_back(entry);
    }
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

// One standard stream as the child will set it up: an fd to dup2 onto
// `target`, or a path to open there.
struct stream_plan {
    int target = 0;
    child_stream::kind how = child_stream::kind::inherit;
    std::string path;
    int open_flags = 0;
    int child_end = -1;  // kind::pipe: the child's end
};

stream_plan plan_stream(int target, const child_stream& s, int& our_end) {
    stream_plan plan{target, s.how, s.path.string(), 0, -1};
    const bool input = target == 0;
    if (s.how == child_stream::kind::null) {
        plan.path = "/dev/null";
        plan.open_flags = input ? O_RDONLY : O_WRONLY;
    } else if (s.how == child_stream::kind::file) {
        plan.open_flags = input ? O_RDONLY : O_WRONLY | O_CREAT | (s.append ? O_APPEND : O_TRUNC);
    } else if (s.how == child_stream::kind::pipe) {
        int ends[2];
        if (::pipe2(ends, O_CLOEXEC) != 0) {
            throw std::system_error(errno, std::generic_category(), "pipe2");
        }
        plan.child_end = input ? ends[0] : ends[1];
        our_end = input ? ends[1] : ends[0];
    }
    return plan;
}

// In the child: async-signal-safe calls only. False, errno set, on failure.
bool set_up_stream(const stream_plan& plan) {
    int fd = plan.child_end;
    if (plan.how == child_stream::kind::null || plan.how == child_stream::kind::file) {
        fd = ::open(plan.path.c_str(), plan.open_flags | O_CLOEXEC, 0644);
        if (fd < 0) {
            return false;
        }
    }
    if (fd < 0) {
        return true;  // inherited
    }
    if (fd == plan.target) {
        return ::fcntl(fd, F_SETFD, 0) == 0;  // dup2 onto itself would keep O_CLOEXEC
    }
    return ::dup2(fd, plan.target) == plan.target;
}

// In the child: signals as a fresh process has them.
void reset_signals() {
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signo = 1; signo < NSIG; ++signo) {
        if (signo != SIGKILL && signo != SIGSTOP) {
            ::sigaction(signo, &default_action, nullptr);
        }
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

struct exec_plan {
    std::string path;
    std::vector<char*> argv;
    std::vector<char*> envp;
    stream_plan streams[3];
    std::string working_dir;
    bool own_group = true;
    const std::vector<std::pair<int, rlimit>>* limits = nullptr;
};

// In the child: tells the parent why it cannot exec, and leaves.
[[noreturn]] void fail(int report_fd, stage where) {
    const failure f{where, errno};
    [[maybe_unused]] auto n = ::write(report_fd, &f, sizeof f);
    ::_exit(127);
}

[[noreturn]] void run_child(const exec_plan& plan, int report_fd) {
    if (plan.own_group) {
        ::setpgid(0, 0);
    }
    reset_signals();
    for (const auto& stream : plan.streams) {
        if (!set_up_stream(stream)) {
            fail(report_fd, stage::stream);
        }
    }
    if (!plan.working_dir.empty() && ::chdir(plan.working_dir.c_str()) != 0) {
        fail(report_fd, stage::working_dir);
    }
    for (const auto& [resource, limit] : *plan.limits) {
        if (::setrlimit(static_cast<__rlimit_resource>(resource), &limit) != 0) {
            fail(report_fd, stage::limits);
        }
    }
    // Our other descriptors (sockets, eventfds, the daemon's Redis link)
    // close at exec; the report pipe too, which tells the parent it worked.
    ::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
    ::execve(plan.path.c_str(), plan.argv.data(), plan.envp.data());
    fail(report_fd, stage::exec);
}

}  // namespace

namespace {

void close_all(int (&fds)[3]) noexcept {
    for (int& fd : fds) {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
}

// In the parent, after fork: what the child reported before exec, if anything.
std::optional<failure> read_report(int fd) {
    failure f{};
    ssize_t n = 0;
    do {
        n = ::read(fd, &f, sizeof f);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof f)) {
        return f;
    }
    return std::nullopt;  // end of file: exec closed the pipe
}

}  // namespace

namespace {

// The streams' plans; on failure closes every pipe end made so far.
void plan_streams(const spawn_options& options, exec_plan& plan, int (&ours)[3], int (&theirs)[3]) {
    const child_stream* streams[3] = {&options.in, &options.out, &options.err};
    try {
        for (int i = 0; i < 3; ++i) {
            plan.streams[i] = plan_stream(i, *streams[i], ours[i]);
            theirs[i] = plan.streams[i].child_end;
        }
    } catch (...) {
        close_all(ours);
        close_all(theirs);
        throw;
    }
}

// Forks and execs; returns once the child runs its program. Closes the
// child's pipe ends (`theirs`) in any case.
pid_t start(const exec_plan& plan, int (&theirs)[3], const std::string& name) {
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) {
        close_all(theirs);
        throw std::system_error(errno, std::generic_category(), "pipe2");
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        run_child(plan, report[1]);
    }
    const int fork_error = errno;
    ::close(report[1]);
    close_all(theirs);
    if (pid < 0) {
        ::close(report[0]);
        throw std::system_error(fork_error, std::generic_category(), "fork");
    }
    auto failed = read_report(report[0]);
    ::close(report[0]);
    if (failed) {
        ::waitpid(pid, nullptr, 0);  // it exits at once: reap it
        throw std::system_error(failed->error, std::generic_category(),
                                "cannot start " + name + ": " + describe(failed->where));
    }
    return pid;
}

}  // namespace

spawned spawn(const spawn_options& options) {
    if (options.argv.empty() || options.argv[0].empty()) {
        throw std::invalid_argument("spawn: argv[0] must name a program");
    }
    // Everything the child reads is made here: it may not allocate.
    std::vector<std::string> args = options.argv;
    std::vector<std::string> env = environment(options);
    exec_plan plan{
        find_executable(args[0]),  pointers(args), pointers(env), {}, options.working_dir.string(),
        options.own_process_group, &options.limits};
    spawned result;
    int theirs[3] = {-1, -1, -1};
    plan_streams(options, plan, result.fds, theirs);
    try {
        result.pid = start(plan, theirs, args[0]);
    } catch (...) {
        close_all(result.fds);
        throw;
    }
    return result;
}

}  // namespace skynet::runtime::spawn_detail
