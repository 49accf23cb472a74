#pragma once
// A managed process's own figures, read from /proc/<pid>/stat: CPU use, RSS
// and its start time (which also tells a live process from a reused pid).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "skynet/bus/result.hpp"

namespace skynet::daemon {

struct process_sample {
    std::uint64_t cpu_ticks = 0;   // utime + stime, clock ticks
    std::uint64_t rss_bytes = 0;   // resident set size
    std::uint64_t start_time = 0;  // clock ticks after boot (field 22)
    char state = '?';              // field 3: 'R', 'S', ... 'Z' for a zombie
};

// Reads <proc>/<pid>/stat. Errors: unavailable when there is no such process
// (it ended), bad_request when the text is not as Linux writes it.
bus::result<process_sample> read_process_sample(pid_t pid,
                                                const std::filesystem::path& proc = "/proc");

// The start time of `pid` (field 22 of its stat), or nothing if it is gone,
// a zombie (it has ended) or unreadable. Adoption compares it with the recorded one: the same pid
// with another start time is another process.
std::optional<std::uint64_t> process_start_time(pid_t pid,
                                                const std::filesystem::path& proc = "/proc");

struct process_figures {
    // CPU time used per wall time since the previous sample, in percent of
    // one CPU (a process busy on two CPUs: 200); 0 on the first sample.
    double cpu_percent = 0;
    process_sample sample;
};

// Samples one process, keeping the previous reading. If the pid now names a
// process with another start time, the CPU use starts over. One thread.
class process_figures_reader {
public:
    using time_point = std::chrono::steady_clock::time_point;

    explicit process_figures_reader(pid_t pid, std::filesystem::path proc = "/proc");
    // `now`: when the sample is taken (injectable for tests).
    bus::result<process_figures> read(time_point now);
    pid_t pid() const noexcept { return pid_; }

private:
    pid_t pid_;
    std::filesystem::path proc_;
    std::optional<process_sample> previous_;
    time_point previous_at_{};
};

}  // namespace skynet::daemon
