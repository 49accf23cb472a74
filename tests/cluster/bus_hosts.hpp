#pragma once
// The bus processes of the cluster test's hosts, run the way an operator
// runs them: on each host of a host_fabric one skyd, to which `sky deploy`
// gives the host's skynet-broker (on the host's address, port 5555) and two
// skynet-chaos-workers, all of the host's region, all finding each other
// through one registry URL (the sentinels'), which skyd hands down to what it
// runs. Workers serve on every broker of their region; brokers of another
// region are not theirs.
//
// A host killed and started again gets only its skyd back: skyd's state file
// (in the host's directory under `dir`) brings its broker and workers back.
// Each deployed worker appends its executions to a file of its own in `dir`
// (every incarnation of it to the same file, one write per line: the chaos
// verdict reads them all); what the deployed processes print is in skyd's
// log directory for the host.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
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

    // Starts the host's skyd and waits until it takes commands; the first
    // time, deploys the broker and workers through it (`sky deploy`), later
    // leaves them to skyd's state file. Nothing on success, what failed
    // otherwise.
    std::optional<std::string> start(int host);
    // The host dies: SIGKILL to its skyd, then to every bus process it ran,
    // all reaped or gone before this returns.
    void kill(int host);

    const std::string& region(int host) const { return regions_.at(host); }
    std::string broker_endpoint(int host) const;

    // The skyds, brokers and workers running in the hosts' namespaces, by
    // kind and pid (read from /proc, not from what skyd says).
    std::vector<std::pair<registry::instance_kind, pid_t>> live() const;
    // What the registry lists (daemons, brokers and workers of every region),
    // read through the registry URL; empty (and logged) on error.
    std::vector<registry::instance> registered();
    // True when the registry lists exactly the running processes (by kind
    // and pid), every running worker serves on every running broker of its
    // region, and each running skyd reports its host's broker and workers
    // running under the pids that run. `why` says what differs.
    bool converged(std::string* why = nullptr);

    // Every deployed worker's execution log; one host's.
    std::vector<std::filesystem::path> worker_logs() const;
    std::vector<std::filesystem::path> worker_logs(int host) const;
    // The end of each skyd's stderr and of each deployed process's output,
    // for a failing test to show.
    std::string stderr_tails() const;

private:
    struct host_daemon {
        std::unique_ptr<child_process> skyd;
        bool deployed = false;
        std::vector<std::filesystem::path> logs;
    };

    std::optional<std::string> deploy(int host, const std::string& binary,
                                      std::vector<std::string> args);
    bool daemons_agree(std::string* why);
    std::filesystem::path host_dir(int host) const { return dir_ / hosts_.name(host); }
    run_result sky(std::vector<std::string> args) const;

    const host_fabric& hosts_;
    std::vector<std::string> regions_;
    std::string url_;
    std::filesystem::path dir_;
    std::vector<host_daemon> daemons_;
};

}  // namespace skynet::testing
