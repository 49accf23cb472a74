#pragma once
// Samples the memory (VmRSS) and open file descriptors of every broker and
// worker of the cluster at a steady interval, for soak runs: their figures
// must stay flat. Each sample is one line appended to a file,
// "<seconds since start> <role> <pid> <rss kB> <fds>", which scripts/soak.sh
// turns into a table. A process that died between listing and reading is
// skipped.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "chaos_cluster.hpp"

namespace skynet::testing::chaos {

class sampler {
public:
    // Starts sampling `c` into `out` (created or truncated) every `interval`.
    sampler(const cluster& c, const std::filesystem::path& out, std::chrono::milliseconds interval);
    ~sampler();  // stops and joins
    sampler(const sampler&) = delete;
    sampler& operator=(const sampler&) = delete;

private:
    void run();
    void sample_once(double seconds);

    const cluster& cluster_;
    std::ofstream out_;
    const std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool stopping_ = false;  // guarded by mutex_
    std::thread thread_;
};

}  // namespace skynet::testing::chaos
