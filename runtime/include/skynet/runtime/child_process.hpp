#pragma once
// Child processes: started with their arguments, environment, working
// directory and standard streams, each in a process group of its own, and
// ended and reaped without leaving a zombie or a stray descendant. Tests,
// the bench and the host daemon start their processes through this.

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skynet::runtime {

// How a child ended.
struct exit_status {
    int code = 0;    // its exit code, if it exited
    int signal = 0;  // the signal that ended it; 0 if it exited

    bool exited() const noexcept { return signal == 0; }
    bool success() const noexcept { return signal == 0 && code == 0; }
    // As a shell reports it: the exit code, or 128 + the signal.
    int shell_status() const noexcept { return signal != 0 ? 128 + signal : code; }
    // "exit 3" or "signal SIGKILL", for log lines.
    std::string to_string() const;
    bool operator==(const exit_status&) const = default;
};

// Where one of a child's standard streams goes.
struct child_stream {
    enum class kind { inherit, null, file, pipe };
    kind how = kind::inherit;
    std::filesystem::path path;  // kind::file: opened by the child (created mode 0644)
    bool append = false;         // kind::file for output: append rather than truncate

    static child_stream inherit() { return {}; }
    static child_stream null() { return {kind::null, {}, false}; }
    static child_stream file(std::filesystem::path p, bool append = false) {
        return {kind::file, std::move(p), append};
    }
    // A pipe to us: stdin_fd(), stdout_fd() or stderr_fd() is our end.
    static child_stream pipe() { return {kind::pipe, {}, false}; }
};

struct spawn_options {
    // argv[0] is a path, or a name looked up in PATH; it must not be empty.
    std::vector<std::string> argv;
    // "NAME=value" entries over our environment (replacing a NAME we have),
    // or over nothing with clear_env.
    std::vector<std::string> env;
    bool clear_env = false;
    // Names of ours it does not get (before `env` is applied): a service
    // manager's NOTIFY_SOCKET, say, is for it alone.
    std::vector<std::string> unset_env;
    std::filesystem::path working_dir;  // empty: ours
    child_stream in;
    child_stream out;
    child_stream err;
    // Its own process group, so that terminate() and signal_group() reach
    // everything it starts, and nothing else. Off: it stays in ours.
    bool own_process_group = true;
    // Resource limits set in the child before it runs its program, as
    // setrlimit takes them: {RLIMIT_NOFILE, {1024, 1024}}. A limit it may
    // not set (above the hard limit) fails the start.
    std::vector<std::pair<int, rlimit>> limits;
};

// A started child. It starts with no signal blocked and every signal at
// its default action, whatever this process blocks or ignores (serve()
// blocks SIGTERM), and without our file descriptors beyond its three
// streams. Move-only; not thread-safe: one thread uses it at a time.
class child_process {
public:
    // Starts it. Throws std::system_error naming argv[0] and what failed
    // (no such file, permission denied, a working directory or stream file
    // it could not use), std::invalid_argument for an empty argv.
    explicit child_process(spawn_options options);
    // Nothing: pid() is -1 and it is not running.
    child_process() = default;
    // If it still runs: SIGKILL (to its group when it has one), then reaped.
    ~child_process();
    child_process(child_process&& other) noexcept;
    child_process& operator=(child_process&& other) noexcept;
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const noexcept { return pid_; }
    // False once it has ended (it is then reaped, and status() is set).
    bool running();
    // How it ended, once it has been reaped.
    const std::optional<exit_status>& status() const noexcept { return status_; }
    // Waits up to `limit` for its end; how it ended, or nothing if it runs on.
    std::optional<exit_status> wait_for(std::chrono::milliseconds limit);
    exit_status wait();

    // Sends `signo` to it, or to its whole process group; false if it has
    // been reaped already (there is no one to send it to).
    bool signal(int signo);
    bool signal_group(int signo);
    // SIGTERM to its group, up to `grace` for it to end, then SIGKILL to
    // whatever is left of the group (its descendants too), and reaped.
    exit_status terminate(std::chrono::milliseconds grace);

    // Our ends of its kind::pipe streams (-1 otherwise), owned by this.
    int stdin_fd() const noexcept { return fds_[0]; }
    int stdout_fd() const noexcept { return fds_[1]; }
    int stderr_fd() const noexcept { return fds_[2]; }
    // Lets go of it without ending it: it runs on, its pipes and pidfd are
    // closed here, and pid() is -1 (as if we had died; for tests of the host
    // daemon's adoption of processes an earlier daemon started).
    void detach() noexcept;
    // Closes our end of its stdin: it reads end-of-file.
    void close_stdin() noexcept;
    // Readable once it has ended, for a poll loop (a pidfd); -1 if the
    // kernel has none, then poll running() instead.
    int exit_fd() const noexcept { return pidfd_; }

private:
    // Waits up to `limit` for its end without reaping it: its pid stays
    // ours, so that its group can still be signalled safely.
    bool ended_within(std::chrono::milliseconds limit);
    void reap(int wait_flags);
    void release() noexcept;

    pid_t pid_ = -1;
    pid_t group_ = -1;  // its process group, or -1 when it shares ours
    int pidfd_ = -1;
    int fds_[3] = {-1, -1, -1};
    std::optional<exit_status> status_;
};

}  // namespace skynet::runtime
