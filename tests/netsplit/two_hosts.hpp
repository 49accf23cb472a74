#pragma once
// A cluster on two "hosts" of one region, joined by a veth pair: ours runs
// redis-server, the near broker and the near worker; the network namespace
// runs the far broker and the far worker, and reaches Redis only over the
// pair. Workers serve on every broker of the region they find in the
// registry, so each serves on both brokers. Both serve the same service,
// "sleeper", the near one as 1.0 and the far one as 2.0, so that a call for
// "sleeper@2.0" can reach the far host alone. The test's client calls the
// near broker only.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "network_namespace.hpp"
#include "skynet/client/client.hpp"
#include "skynet/registry/connection.hpp"
#include "support/mmi_stats.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {

class two_hosts {
public:
    static constexpr const char* region = "netsplit";
    static constexpr const char* near_host = "netsplit-near";
    static constexpr const char* far_host = "netsplit-far";
    static constexpr const char* service = "sleeper";
    static constexpr const char* far_version = "2.0";
    // Everyone heartbeats this often. A broker drops a worker unheard of for
    // heartbeat * liveness; workers keep their own liveness (3: the example
    // services have no option for it).
    static constexpr std::chrono::milliseconds heartbeat{250};
    static constexpr int liveness = 4;
    // The registrar's default: the bound on removing an instance nobody refreshes.
    static constexpr std::chrono::milliseconds lease{10000};

    // Starts redis-server (on loopback and on our end of the pair), waits for
    // it, and starts nothing else. Throws std::runtime_error if it does not start.
    explicit two_hosts(const network_namespace& ns);
    // Stops every process it started, the far worker first (the namespace
    // outlives this object and can go only after it).
    ~two_hosts();
    two_hosts(const two_hosts&) = delete;
    two_hosts& operator=(const two_hosts&) = delete;

    // The near broker, on our end of the pair, and the far one, on the
    // namespace's end; true once both are in the registry.
    bool start_brokers();
    // The two workers; true once both are registered, serve on both
    // brokers, and the near broker has them.
    bool start_workers();

    child_process& near_broker() { return *near_broker_; }
    child_process& far_broker() { return *far_broker_; }
    child_process& near_worker() { return *near_worker_; }
    child_process& far_worker() { return *far_worker_; }
    client& caller() { return *client_; }

    // The near broker's mmi.stats, asked on the caller's connection; nothing
    // if no answer.
    std::optional<broker_stats> stats();
    // The registry's view of our region; empty on error (then logged).
    std::vector<registry::instance> find(const registry::query& q = {});
    std::vector<registry::instance> workers_on(const std::string& host);
    std::vector<registry::instance> on_host(const std::string& host);
    // True if a call for sleeper@2.0 is answered: the far worker serves.
    bool far_serves();

    // The end of every running process's log, for a failing test to show.
    std::string logs();

    // Stops the client and every process (SIGTERM, workers first); what
    // did not exit 0 (under the sanitizers, a report makes the exit status
    // non-zero), with the end of its log. Empty if all went well.
    std::string stop_all();

private:
    // One broker of the region on `address`, in the namespace if `far`;
    // nothing if it did not register.
    std::unique_ptr<child_process> launch_broker(bool far, std::string& endpoint);
    // A process of the far host: in the namespace, dialing our end of the pair.
    std::unique_ptr<child_process> launch_far(const std::string& binary,
                                              std::vector<std::string> own_args);
    std::string far_redis_url() const;
    std::array<std::pair<std::unique_ptr<child_process>*, const char*>, 4> processes();

    const network_namespace& ns_;
    redis_server redis_;
    std::string near_endpoint_;
    std::string far_endpoint_;
    std::optional<registry::connection> registry_;  // opened again when broken
    // Declared in the order they start: destroyed the other way round.
    std::unique_ptr<child_process> near_broker_;
    std::unique_ptr<child_process> far_broker_;
    std::unique_ptr<child_process> near_worker_;
    std::unique_ptr<child_process> far_worker_;
    std::unique_ptr<client> client_;
};

}  // namespace skynet::testing
