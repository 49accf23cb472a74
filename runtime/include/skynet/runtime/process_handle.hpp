#pragma once
// A handle on a process that is not our child: one a previous skyd started
// and that we adopt after it died. We can watch it end, signal it and its
// process group, and stop it, but not reap it or learn its exit status:
// only its parent can (that is the kernel's rule), so none is offered.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace skynet::runtime {

// When `pid` started: field 22 of /proc/<pid>/stat (clock ticks since
// boot). With the pid it names one process for good: a pid reused later
// has a later start time. Nothing if no such process (or it is gone).
std::optional<std::uint64_t> process_start_time(pid_t pid);

// Field 22 of a /proc/<pid>/stat line, read after the last ')' since the
// command name before it may hold spaces and parentheses. Nothing if the
// text is not such a line.
std::optional<std::uint64_t> parse_start_time(std::string_view stat_line);

// Move-only; not thread-safe: one thread uses it at a time.
class process_handle {
public:
    // A handle on `pid` if it runs and started at `start_time`; nothing if
    // it is gone, or the pid now names another process (reused). Throws
    // std::system_error if the kernel refuses a pidfd for another reason
    // (out of descriptors, or no pidfd support).
    static std::optional<process_handle> open(pid_t pid, std::uint64_t start_time);

    process_handle() = default;
    ~process_handle();
    process_handle(process_handle&& other) noexcept;
    process_handle& operator=(process_handle&& other) noexcept;
    process_handle(const process_handle&) = delete;
    process_handle& operator=(const process_handle&) = delete;

    pid_t pid() const noexcept { return pid_; }
    std::uint64_t start_time() const noexcept { return start_time_; }
    // Readable once it has ended, for a poll loop (a pidfd, owned by this).
    int exit_fd() const noexcept { return pidfd_; }
    // False once it has ended (whoever reaps it; its status stays unknown).
    bool alive() const;
    // Waits up to `limit` for its end; true if it has ended.
    bool wait_for(std::chrono::milliseconds limit) const;

    // Sends `signo` to it through its pidfd, so that a reused pid is never
    // hit; false if it has ended.
    bool signal(int signo) const;
    // Sends `signo` to its process group if it leads one (as the processes
    // child_process starts do), else to it alone; false if none was sent.
    bool signal_group(int signo) const;
    // SIGTERM to its group, up to `grace` for it to end, then SIGKILL to
    // whatever is left of the group (its descendants too) and up to `grace`
    // again. True if it has ended.
    bool terminate(std::chrono::milliseconds grace);

private:
    pid_t pid_ = -1;
    pid_t group_ = -1;  // its pid if it leads its process group, else -1
    int pidfd_ = -1;
    std::uint64_t start_time_ = 0;
};

}  // namespace skynet::runtime
