#pragma once
// The chaos test's cluster: one redis-server, two skynet-brokers of region
// "chaos" on fixed loopback ports (so that a broker restarts where its peers
// expect it), and four skynet-chaos-workers that find the brokers in the
// registry. The chaos schedule kills, freezes and restarts them through it.
//
// Threads: the schedule thread changes the processes; live() may be called
// from any thread (the resource sampler), and sees a consistent snapshot.

#include <sys/types.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "skynet/registry/connection.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing::chaos {

inline constexpr int broker_count = 2;
inline constexpr int worker_count = 4;
inline constexpr auto heartbeat = std::chrono::milliseconds(200);  // brokers and workers
inline constexpr int liveness = 3;
inline constexpr auto lease = std::chrono::milliseconds(10000);  // the registrar's default
inline constexpr const char* region = "chaos";

// A process of the cluster, as the sampler and the registry check see it.
struct live_process {
    std::string role;  // "broker-0", "worker-3"
    registry::instance_kind kind;
    pid_t pid;
};

class cluster {
public:
    // Starts everything; `dir` receives the workers' execution logs. Throws
    // std::runtime_error if redis-server does not start.
    explicit cluster(std::filesystem::path dir);
    ~cluster();
    cluster(const cluster&) = delete;
    cluster& operator=(const cluster&) = delete;

    std::string redis_url() const { return redis_.url(); }
    const std::vector<std::string>& broker_endpoints() const { return endpoints_; }
    std::filesystem::path worker_log(int i) const;

    // The chaos. Each returns once the change is done (a killed process is
    // reaped), not once the cluster has recovered: see ready().
    void kill_worker(int i);  // SIGKILL, then a new incarnation
    void freeze_worker(int i, std::chrono::milliseconds how_long);  // SIGSTOP ... SIGCONT
    void kill_broker(int i);   // SIGKILL; start_broker() brings it back
    void start_broker(int i);  // on its old port
    void restart_redis();      // stop, start on the same port: its data is gone
    // SIGTERM (a graceful drain), then a new incarnation.
    void restart_broker(int i);
    void restart_worker(int i);

    // True when every broker is up and registered with every worker on it,
    // and the registry lists exactly the live processes (registry_matches()).
    bool ready();
    // True when the brokers and workers of the region in the registry are
    // exactly the live ones (by kind and pid). `why` says what differs.
    bool registry_matches(std::string* why = nullptr);
    std::vector<live_process> live() const;
    // Graceful restarts whose process did not exit with status 0 (schedule thread).
    const std::vector<std::string>& unclean_exits() const noexcept { return unclean_exits_; }

private:
    void launch_broker(int i);
    void launch_worker(int i);
    std::vector<registry::instance> registered();
    void note_exit(const std::string& role, int status);

    std::filesystem::path dir_;
    redis_server redis_;
    std::vector<std::string> endpoints_;
    mutable std::mutex mutex_;  // guards the two arrays against live()
    std::array<std::unique_ptr<child_process>, broker_count> brokers_;
    std::array<std::unique_ptr<child_process>, worker_count> workers_;
    std::vector<std::string> unclean_exits_;
};

}  // namespace skynet::testing::chaos
