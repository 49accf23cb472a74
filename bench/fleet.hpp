#pragma once
// Peers held by child processes, and our broker as a child process: the
// pieces of the scale and memory figures.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "children.hpp"

namespace skynet::bench {

// Sockets each holder process opens; each takes two descriptors (the TCP
// connection and its mailbox), so a holder stays far below common limits.
inline constexpr int sockets_per_holder = 4000;

struct holder_spec {
    std::string role;  // clients, workers, flood
    std::string endpoint;
    int count = 0;
    std::string service;  // every worker's service; empty: prefix-<index>
    std::string prefix = "idle";
    int heartbeat_ms = 2500;
};

// Holder processes for spec.count peers (of every spec), all in place once
// constructed (or error() says why not). Destroying it closes every one.
class holder_group {
public:
    explicit holder_group(const holder_spec& spec);
    explicit holder_group(const std::vector<holder_spec>& specs);
    const std::string& error() const noexcept { return error_; }
    // CPU time its processes have used so far (they share the machine).
    std::chrono::nanoseconds cpu() const;

private:
    std::vector<std::unique_ptr<child_process>> children_;
    std::string error_;
};

// Descriptors a holder_group of `count` needs in each process, for fd_shortfall.
std::uint64_t holder_fds(int count);

// skynet-broker as a child on a free loopback port, answering probes.
class broker_child {
public:
    // Quick heartbeats, a long liveness (holders are never dropped) and a
    // queue of `max_queue`: the fleet's broker, logging warnings only.
    broker_child(const std::string& binary, int max_queue);
    // `binary --bind <a free port> options...`, its stderr appended to `log`
    // if one is given; three ports are tried. error() says why not.
    broker_child(const std::string& binary, const std::vector<std::string>& options,
                 const std::filesystem::path& log);
    const std::string& error() const noexcept { return error_; }
    const std::string& endpoint() const noexcept { return endpoint_; }
    pid_t pid() const noexcept { return process_ ? process_->pid() : -1; }

private:
    std::unique_ptr<child_process> process_;
    std::string endpoint_;
    std::string error_;
};

// A process's resident bytes once two samples 200 ms apart agree within
// 0.5% (or after three seconds): allocation by the peers' arrival has settled.
std::optional<std::int64_t> settled_rss(pid_t pid);

// Whether a 7/MDP broker at `endpoint` answers an mmi.service probe in time.
bool answers_probe(const std::string& endpoint, std::chrono::milliseconds limit);

}  // namespace skynet::bench
