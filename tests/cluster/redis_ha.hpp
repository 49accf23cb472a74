#pragma once
// Redis for the cluster test, on the hosts of a host_fabric: a master on one
// host, its replica on another and one sentinel on every host (quorum 2),
// each on the host's own address and the usual ports (every host has its
// ports to itself). The registry URL names the three sentinels.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host_fabric.hpp"
#include "support/process.hpp"

namespace skynet::testing {

class redis_ha {
public:
    static constexpr int redis_port = 6379;
    static constexpr int sentinel_port = 26379;

    // Starts the master, the replica and the sentinels, and waits until every
    // sentinel knows the replica and the other sentinels, so that a failover
    // can happen. Throws std::runtime_error if that does not come within a
    // minute. `dir` holds the sentinels' config files.
    redis_ha(const host_fabric& hosts, std::filesystem::path dir, int master_host, int replica_host,
             std::string master_name = "mymaster");
    ~redis_ha();  // SIGKILLs what still runs
    redis_ha(const redis_ha&) = delete;
    redis_ha& operator=(const redis_ha&) = delete;

    // "redis-sentinel://<a>:26379,<b>:26379,<c>:26379/<name>".
    std::string url() const;
    // The host whose address the first sentinel that answers names as the
    // master; -1 if none answers. Sentinels of hosts in `skip` are not asked.
    int master_host(const std::vector<int>& skip = {}) const;
    // The first line of ROLE on the host's redis-server ("master", "slave"),
    // or "" if it does not answer.
    std::string role(int host) const;
    // "redis://<address>:6379" of a host's redis-server.
    std::string server_url(int host) const;

    // SIGKILL, and start again as first started (the sentinels make a
    // returning old master a replica of the new one). A host without a
    // server of its own is ignored.
    void kill_server(int host);
    void start_server(int host);
    void kill_sentinel(int host);
    void start_sentinel(int host);

private:
    std::unique_ptr<child_process> launch_server(int host);

    const host_fabric& hosts_;
    std::filesystem::path dir_;
    std::string name_;
    std::map<int, std::vector<std::string>> server_args_;  // by host
    std::map<int, std::unique_ptr<child_process>> servers_;
    std::map<int, std::unique_ptr<child_process>> sentinels_;
};

}  // namespace skynet::testing
