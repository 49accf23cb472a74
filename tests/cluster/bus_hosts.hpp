#pragma once
// The bus processes of the cluster test's hosts: on each host of a
// host_fabric, one skynet-broker (on the host's address, port 5555) and two
// skynet-chaos-workers, all of the host's region, all finding each other
// through one registry URL (the sentinels'). Workers serve on every broker of
// their region; brokers of another region are not theirs.
//
// Each worker incarnation logs its executions to a file of its own in `dir`
// (the chaos verdict reads them all); what a process wrote to stderr is
// kept there too when it ends.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "host_fabric.hpp"
#include "skynet/registry/instance.hpp"
#include "support/process.hpp"

namespace skynet::testing {

class bus_hosts {
public:
    static constexpr auto heartbeat = std::chrono::milliseconds(250);
    static constexpr int liveness = 4;
    // Shorter than the default 10 s, so that the test is short.
    static constexpr auto lease = std::chrono::milliseconds(5000);
    static constexpr int workers_per_host = 2;
    static constexpr int broker_port = 5555;

    // `regions[host]`: each host's region. Starts nothing.
    bus_hosts(const host_fabric& hosts, std::vector<std::string> regions, std::string registry_url,
              std::filesystem::path dir);
    ~bus_hosts();  // SIGKILLs what still runs
    bus_hosts(const bus_hosts&) = delete;
    bus_hosts& operator=(const bus_hosts&) = delete;

    // The host's broker and workers (new incarnations), or SIGKILL them all
    // and reap them.
    void start(int host);
    void kill(int host);

    const std::string& region(int host) const { return regions_.at(host); }
    std::string broker_endpoint(int host) const;

    // The running brokers and workers, by kind and pid.
    std::vector<std::pair<registry::instance_kind, pid_t>> live() const;
    // What the registry lists (brokers and workers of every region), read
    // through the registry URL; empty (and logged) on error.
    std::vector<registry::instance> registered();
    // True when the registry lists exactly the running processes (by kind
    // and pid) and every running worker serves on every running broker of
    // its region. `why` says what differs.
    bool converged(std::string* why = nullptr);

    // Every worker incarnation's execution log; the logs of one host's.
    std::vector<std::filesystem::path> worker_logs() const;
    std::vector<std::filesystem::path> worker_logs(int host) const;
    // The end of every running process's stderr, for a failing test to show.
    std::string stderr_tails() const;

private:
    struct host_processes {
        std::unique_ptr<child_process> broker;
        std::vector<std::unique_ptr<child_process>> workers;
        std::vector<std::filesystem::path> logs;  // every incarnation's
        int incarnations = 0;
    };

    std::unique_ptr<child_process> launch(int host, const std::string& binary,
                                          std::vector<std::string> own_args);
    void end(int host, const std::string& role, std::unique_ptr<child_process>& process);

    const host_fabric& hosts_;
    std::vector<std::string> regions_;
    std::string url_;
    std::filesystem::path dir_;
    std::vector<host_processes> processes_;
};

}  // namespace skynet::testing
