#pragma once
// Child processes: skynet-broker for the memory figures, and skynet-bench
// itself in a child role holding thousands of peers in another process, so
// that the process measured holds nothing but what it is measured for.

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "skynet/runtime/child_process.hpp"

namespace skynet::bench {

class child_process {
public:
    // Starts argv[0] (a path) with its stdin and stdout on pipes to us and
    // stderr inherited, or appended to `log` if one is given. Throws
    // std::system_error if it cannot start.
    explicit child_process(const std::vector<std::string>& argv,
                           const std::filesystem::path& log = {});
    // Closes its stdin (a child role's cue to leave), sends SIGTERM, waits up
    // to two seconds, then SIGKILL. Never blocks longer.
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const noexcept { return process_.pid(); }
    bool running() { return process_.running(); }
    // SIGKILL, as a crash would end it; it is reaped when this is destroyed.
    void kill_now() { process_.signal(SIGKILL); }
    // The next line of its stdout, or nothing at the deadline or at its end.
    std::optional<std::string> read_line(std::chrono::milliseconds limit);

private:
    runtime::child_process process_;
    std::string buffered_;
};

// Every child still running gets SIGKILL: the watchdog's last act.
void kill_all_children() noexcept;

// This executable, to run it again in a child role.
std::string self_path();

}  // namespace skynet::bench
