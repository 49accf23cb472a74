#pragma once
// A real Redis Sentinel deployment for tests, on loopback: a master, a
// replica of it and three sentinels (quorum 2) watching them under one
// name, each on a free port, saving nothing but the sentinels' own config
// files (which sentinels must be able to rewrite) in `dir`.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"
#include "redis_server.hpp"

namespace skynet::testing {

class sentinel_set {
public:
    // Starts them and waits until every sentinel knows the replica and the
    // other sentinels, so that a failover can happen. Throws
    // std::runtime_error if that does not come within a minute.
    explicit sentinel_set(std::filesystem::path dir, std::string master_name = "skynet");
    ~sentinel_set();
    sentinel_set(const sentinel_set&) = delete;
    sentinel_set& operator=(const sentinel_set&) = delete;

    // "redis-sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/<name>".
    std::string url() const;
    const std::string& master_name() const noexcept { return name_; }
    // The master's port as the first sentinel that answers names it; 0 if
    // none answers.
    int master_port() const;
    // The two Redis servers (the master first, at the start).
    redis_server& server(int i) { return *servers_.at(static_cast<std::size_t>(i)); }
    // Stops the server that is master now (SIGTERM: it is gone, as far as
    // anyone can tell) and returns its port.
    int stop_master();
    // Asks a sentinel for a failover while the master still runs (SENTINEL
    // FAILOVER): it becomes a replica of the other. False if refused.
    bool force_failover();

private:
    void start_sentinel(int index);

    std::filesystem::path dir_;
    std::string name_;
    std::vector<std::unique_ptr<redis_server>> servers_;
    std::vector<int> sentinel_ports_;
    std::vector<std::unique_ptr<child_process>> sentinels_;
};

// Writes a sentinel's config file: it listens on address:port and watches
// the master `name` at master_address:master_port (quorum 2) with the short
// timeouts tests want; it rewrites the file, in its own directory.
void write_sentinel_config(const std::filesystem::path& file, const std::string& address, int port,
                           const std::string& name, const std::string& master_address,
                           int master_port);

// What `redis-cli -p port args...` prints (trimmed), or "" if it failed.
std::string redis_cli(int port, std::vector<std::string> args);
// The same against `host` (an address).
std::string redis_cli(const std::string& host, int port, std::vector<std::string> args);

}  // namespace skynet::testing
