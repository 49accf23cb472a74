#pragma once
// The pieces of the registry figures (issue 19): skynet-broker processes
// registered in Redis under one region, and a process of our echo workers
// that finds them there. Each logs to a file of the caller's.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "children.hpp"
#include "fleet.hpp"

namespace skynet::bench {

inline constexpr const char* region_service = "bench-echo";

// skynet-broker --redis `redis` --region `region` on a free loopback port,
// answering probes, logging to `log`; its error() says why not.
std::unique_ptr<broker_child> start_registered_broker(const std::string& binary,
                                                      const std::string& redis,
                                                      const std::string& region,
                                                      const std::filesystem::path& log);

class echo_worker_process {
public:
    // skynet-bench --child echo-workers: `workers` echo workers registered
    // under `region`, in place once each serves on `brokers` brokers.
    echo_worker_process(const std::string& redis, const std::string& region, int workers,
                        int brokers, const std::filesystem::path& log);
    const std::string& error() const noexcept { return error_; }
    pid_t pid() const noexcept { return process_->pid(); }
    // The workers' instance ids in the registry.
    const std::vector<std::string>& ids() const noexcept { return ids_; }

private:
    std::unique_ptr<child_process> process_;
    std::vector<std::string> ids_;
    std::string error_;
};

// True once the registry at `redis` lists `brokers` brokers of `region`,
// each serving region_service; false at the deadline.
bool brokers_listed(const std::string& redis, const std::string& region, int brokers,
                    std::chrono::milliseconds limit);

// CPU time used so far by these processes together (0 for one that is gone).
std::chrono::nanoseconds cpu_of(const std::vector<pid_t>& pids);

}  // namespace skynet::bench
