#pragma once
// The host's figures that skyd publishes in its registry record: CPU use,
// memory, load and uptime, read from /proc.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "skynet/bus/result.hpp"

namespace skynet::daemon {

// CPU time of the whole host, in clock ticks summed over its CPUs.
struct cpu_times {
    std::uint64_t busy = 0;   // every state but idle and iowait
    std::uint64_t total = 0;  // every state
};

// One reading of /proc.
struct host_sample {
    cpu_times cpu;
    unsigned cpus = 0;                   // online CPUs (the cpuN lines of /proc/stat)
    std::uint64_t memory_total = 0;      // bytes (MemTotal)
    std::uint64_t memory_available = 0;  // bytes (MemAvailable)
    double load1 = 0;
    double load5 = 0;
    double load15 = 0;
    double uptime_s = 0;
};

// Reads <proc>/stat, meminfo, loadavg and uptime (`proc` other than /proc:
// tests). Errors: unavailable for a file that cannot be read, bad_request
// naming the file for one whose text is not as Linux writes it.
bus::result<host_sample> read_host_sample(const std::filesystem::path& proc = "/proc");

// The share of the host's CPU time that was busy between two samples, 0 to
// 100 (100: every CPU busy); 0 if no time passed.
double cpu_percent(const cpu_times& before, const cpu_times& after) noexcept;

// What skyd publishes: a sample and the CPU use since the one before.
struct host_figures {
    double cpu_percent = 0;  // 0 to 100 of the whole host; 0 on the first sample
    host_sample sample;
    // Load per CPU (load1 / cpus), the figure pressure limits compare.
    double load_per_cpu() const noexcept {
        return sample.cpus > 0 ? sample.load1 / sample.cpus : sample.load1;
    }
};

// Samples the host, keeping the previous CPU times. One thread at a time.
class host_figures_reader {
public:
    explicit host_figures_reader(std::filesystem::path proc = "/proc");
    bus::result<host_figures> read();

private:
    std::filesystem::path proc_;
    std::optional<cpu_times> previous_;
};

}  // namespace skynet::daemon
