#pragma once
// Redis for the registry figures: redis-server as a child on a free loopback
// port, and a Sentinel deployment (a master, a replica and three sentinels,
// quorum 2) with short timeouts so that a failover takes seconds. Logs and
// the sentinels' config files go to a directory of the caller's.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "children.hpp"

namespace skynet::bench {

// A master is down after this much silence; a stalled failover is tried
// again after the failover timeout.
inline constexpr int sentinel_down_after_ms = 1000;
inline constexpr int sentinel_failover_timeout_ms = 5000;

class redis_child {
public:
    // redis-server (extra arguments appended), persisting nothing, logging
    // to dir/redis-<port>.log; error() says why if it did not answer.
    explicit redis_child(const std::filesystem::path& dir, std::vector<std::string> extra = {});
    const std::string& error() const noexcept { return error_; }
    int port() const noexcept { return port_; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
    void kill_now() { process_->kill_now(); }

private:
    std::unique_ptr<child_process> process_;
    int port_ = 0;
    std::string error_;
};

class sentinel_group {
public:
    // Starts them all and waits until every sentinel knows the replica and
    // has its quorum, so that a failover can happen; error() says what did
    // not come within a minute.
    explicit sentinel_group(std::filesystem::path dir, std::string name = "mymaster");
    const std::string& error() const noexcept { return error_; }
    // "redis-sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/<name>".
    std::string url() const;
    const std::vector<int>& sentinel_ports() const noexcept { return sentinel_ports_; }
    // The master's port as the first sentinel that answers names it; 0 if none.
    int master_port() const;
    // The server on that port; nullptr if none of ours.
    redis_child* server_on(int port);
    // True once no sentinel is in TILT mode (INFO sentinel), within `limit`.
    bool wait_untilted(std::chrono::milliseconds limit) const;
    // The port of the server that is not on `port`: the replica of that master.
    int other_port(int port) const;

private:
    bool start_sentinel(int index);
    bool sentinels_ready() const;

    std::filesystem::path dir_;
    std::string name_;
    std::vector<std::unique_ptr<redis_child>> servers_;
    std::vector<int> sentinel_ports_;
    std::vector<std::unique_ptr<child_process>> sentinels_;
    std::string error_;
};

// A fresh directory under the system's temporary one, for logs and configs.
std::filesystem::path make_run_dir(const std::string& stem);

}  // namespace skynet::bench
