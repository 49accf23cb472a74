#pragma once
// What the kernel knows about a thread or a process: CPU time and resident
// memory, and the file-descriptor limit the scale figures need.

#include <pthread.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skynet::bench {

// The CPU time of one thread of this process, readable from any other thread
// while that thread lives (pthread_getcpuclockid).
class thread_cpu_clock {
public:
    thread_cpu_clock() = default;  // reads zero
    explicit thread_cpu_clock(pthread_t thread);
    std::chrono::nanoseconds now() const noexcept;

private:
    clockid_t clock_{};
    bool valid_ = false;
};

// CPU time of this process so far, every thread together.
std::chrono::nanoseconds this_process_cpu() noexcept;

// user + system CPU time of a process (/proc/<pid>/stat); nothing if it is gone.
std::optional<std::chrono::nanoseconds> process_cpu(pid_t pid);

// user + system CPU time of each thread of a process (/proc/<pid>/task),
// by thread id; empty if it is gone.
std::vector<std::pair<int, std::chrono::nanoseconds>> thread_cpus(pid_t pid);

// VmRSS of a process (/proc/<pid>/status), in bytes; nothing if it is gone.
std::optional<std::int64_t> resident_bytes(pid_t pid);

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the limit now in force.
std::uint64_t raise_fd_limit();

// Why `needed` descriptors cannot be had, or empty if they can.
std::string fd_shortfall(std::uint64_t needed);

}  // namespace skynet::bench
