#include "measure.hpp"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace skynet::bench {

thread_cpu_clock::thread_cpu_clock(pthread_t thread) {
    valid_ = pthread_getcpuclockid(thread, &clock_) == 0;
}

std::chrono::nanoseconds thread_cpu_clock::now() const noexcept {
    timespec ts{};
    if (!valid_ || clock_gettime(clock_, &ts) != 0) {
        return std::chrono::nanoseconds(0);
    }
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

std::chrono::nanoseconds this_process_cpu() noexcept {
    timespec ts{};
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) {
        return std::chrono::nanoseconds(0);
    }
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

namespace {

// utime + stime of a /proc/.../stat file.
std::optional<std::chrono::nanoseconds> stat_cpu(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) {
        return std::nullopt;
    }
    // The command name may hold spaces; fields are counted after its ')'.
    auto close = line.rfind(')');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {  // utime is field 14, stime 15
        if (i == 14) {
            utime = std::stoull(field);
        } else if (i == 15) {
            stime = std::stoull(field);
        }
    }
    const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const auto seconds = static_cast<double>(utime + stime) / ticks;
    return std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9));
}

}  // namespace

std::optional<std::chrono::nanoseconds> process_cpu(pid_t pid) {
    return stat_cpu("/proc/" + std::to_string(pid) + "/stat");
}

std::vector<std::pair<int, std::chrono::nanoseconds>> thread_cpus(pid_t pid) {
    std::vector<std::pair<int, std::chrono::nanoseconds>> threads;
    std::error_code ec;
    const auto dir = "/proc/" + std::to_string(pid) + "/task";
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (auto cpu = stat_cpu(entry.path().string() + "/stat")) {
            threads.emplace_back(std::stoi(name), *cpu);
        }
    }
    return threads;
}

std::optional<std::int64_t> resident_bytes(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stoll(line.substr(6)) * 1024;  // the kernel counts in kB
        }
    }
    return std::nullopt;
}

std::uint64_t raise_fd_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

std::string fd_shortfall(std::uint64_t needed) {
    const auto have = raise_fd_limit();
    if (have >= needed) {
        return {};
    }
    return "needs " + std::to_string(needed) + " file descriptors, RLIMIT_NOFILE allows " +
           std::to_string(have) + " (raise the hard limit: ulimit -Hn)";
}

}  // namespace skynet::bench
