#include "sampler.hpp"

#include <optional>
#include <string>

namespace skynet::testing::chaos {

namespace {

// VmRSS in kB from /proc/<pid>/status; nothing if the process is gone.
std::optional<long> rss_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            return std::stol(line.substr(6));
        }
    }
    return std::nullopt;
}

std::optional<long> open_fds(pid_t pid) {
    std::error_code error;
    std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error);
    if (error) {
        return std::nullopt;
    }
    long n = 0;
    for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
        if (error) {
            return std::nullopt;
        }
        ++n;
    }
    return n;
}

}  // namespace

sampler::sampler(const cluster& c, const std::filesystem::path& out,
                 std::chrono::milliseconds interval)
    : cluster_(c), out_(out, std::ios::trunc), interval_(interval) {
    thread_ = std::thread([this] { run(); });
}

sampler::~sampler() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_.notify_one();
    thread_.join();
}

void sampler::run() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        std::chrono::duration<double> since = std::chrono::steady_clock::now() - start;
        sample_once(since.count());
        stop_.wait_for(lock, interval_, [&] { return stopping_; });
    }
}

void sampler::sample_once(double seconds) {
    for (const auto& p : cluster_.live()) {
        auto rss = rss_kb(p.pid);
        auto fds = open_fds(p.pid);
        if (rss && fds) {
            out_ << static_cast<long>(seconds) << ' ' << p.role << ' ' << p.pid << ' ' << *rss
                 << ' ' << *fds << '\n';
        }
    }
    out_.flush();
}

}  // namespace skynet::testing::chaos
