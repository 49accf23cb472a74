#include "redis_ha.hpp"

#include <algorithm>
#include <csignal>
#include <stdexcept>

#include "skynet/registry/redis_url.hpp"
#include "support/eventually.hpp"
#include "support/sentinel_set.hpp"

namespace skynet::testing {

namespace {

using namespace std::chrono_literals;

int count_lines(const std::string& text) {
    int lines = text.empty() ? 0 : 1;
    for (char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    return lines;
}

void kill_and_reap(std::unique_ptr<child_process>& process) {
    if (process) {
        process->signal(SIGKILL);
        (void)process->wait_exit(10s);
        process.reset();
    }
}

}  // namespace

redis_ha::redis_ha(const host_fabric& hosts, std::filesystem::path dir, int master_host,
                   int replica_host, std::string master_name)
    : hosts_(hosts), dir_(std::move(dir)), name_(std::move(master_name)) {
    const auto port = std::to_string(redis_port);
    for (int host : {master_host, replica_host}) {
        // Protected mode refuses any peer but loopback when there is no password.
        // A replica writes what it receives from its master to disk: into
        // the test's directory, not the working one.
        server_args_[host] = {"--port",
                              port,
                              "--bind",
                              hosts.address(host),
                              "--save",
                              "",
                              "--appendonly",
                              "no",
                              "--protected-mode",
                              "no",
                              "--dir",
                              dir_.string(),
                              "--dbfilename",
                              "dump-" + hosts.name(host) + ".rdb"};
    }
    server_args_[replica_host].insert(server_args_[replica_host].end(),
                                      {"--replicaof", hosts.address(master_host), port});
    start_server(master_host);
    start_server(replica_host);
    // A sentinel learns of replicas from the master's INFO: the replica must
    // be attached before the sentinels first look.
    if (!eventually(
            [&] {
                return role(replica_host) == "slave" &&
                       redis_cli(hosts.address(replica_host), redis_port, {"INFO", "replication"})
                               .find("master_link_status:up") != std::string::npos;
            },
            30s)) {
        throw std::runtime_error("the replica did not attach to its master");
    }
    for (int host = 0; host < hosts.size(); ++host) {
        write_sentinel_config(dir_ / ("sentinel-" + hosts.name(host) + ".conf"),
                              hosts.address(host), sentinel_port, name_, hosts.address(master_host),
                              redis_port);
        start_sentinel(host);
    }
    const bool ready = eventually(
        [&] {
            for (int host = 0; host < hosts.size(); ++host) {
                const auto& address = hosts.address(host);
                if (count_lines(
                        redis_cli(address, sentinel_port, {"SENTINEL", "replicas", name_})) == 0 ||
                    redis_cli(address, sentinel_port, {"SENTINEL", "ckquorum", name_}).find("OK") !=
                        0) {
                    return false;
                }
            }
            return true;
        },
        60s);
    if (!ready) {
        throw std::runtime_error("the sentinels did not find the replica and each other");
    }
}

redis_ha::~redis_ha() {
    for (auto& [host, process] : sentinels_) {
        kill_and_reap(process);
    }
    for (auto& [host, process] : servers_) {
        kill_and_reap(process);
    }
}

std::string redis_ha::url() const {
    registry::redis_url url;
    for (int host = 0; host < hosts_.size(); ++host) {
        url.sentinels.push_back({hosts_.address(host), sentinel_port});
    }
    url.master_name = name_;
    return url.to_string();
}

std::string redis_ha::server_url(int host) const {
    return "redis://" + hosts_.address(host) + ":" + std::to_string(redis_port);
}

int redis_ha::master_host(const std::vector<int>& skip) const {
    for (int host = 0; host < hosts_.size(); ++host) {
        if (std::find(skip.begin(), skip.end(), host) != skip.end()) {
            continue;
        }
        auto answer = redis_cli(hosts_.address(host), sentinel_port,
                                {"SENTINEL", "get-master-addr-by-name", name_});
        auto address = answer.substr(0, answer.find('\n'));
        for (int named = 0; named < hosts_.size() && !answer.empty(); ++named) {
            if (hosts_.address(named) == address) {
                return named;
            }
        }
    }
    return -1;
}

std::string redis_ha::role(int host) const {
    auto answer = redis_cli(hosts_.address(host), redis_port, {"ROLE"});
    return answer.substr(0, answer.find('\n'));
}

std::unique_ptr<child_process> redis_ha::launch_server(int host) {
    auto [program, args] = hosts_.exec(host, "/usr/bin/redis-server", server_args_.at(host));
    return std::make_unique<child_process>(program, std::move(args));
}

void redis_ha::start_server(int host) {
    if (!server_args_.contains(host)) {
        return;
    }
    kill_and_reap(servers_[host]);
    servers_[host] = launch_server(host);
    if (!eventually([&] { return !role(host).empty() || !servers_[host]->running(); }, 20s) ||
        !servers_[host]->running()) {
        throw std::runtime_error("redis-server did not start on " + hosts_.name(host) + ": " +
                                 servers_[host]->stdout_text());
    }
}

void redis_ha::kill_server(int host) {
    if (servers_.contains(host)) {
        kill_and_reap(servers_[host]);
    }
}

void redis_ha::start_sentinel(int host) {
    kill_and_reap(sentinels_[host]);
    auto [program, args] =
        hosts_.exec(host, "/usr/bin/redis-sentinel",
                    {(dir_ / ("sentinel-" + hosts_.name(host) + ".conf")).string()});
    sentinels_[host] = std::make_unique<child_process>(program, std::move(args));
    const auto& address = hosts_.address(host);
    if (!eventually([&] { return redis_cli(address, sentinel_port, {"PING"}) == "PONG"; }, 20s)) {
        throw std::runtime_error("redis-sentinel did not start on " + hosts_.name(host) + ": " +
                                 sentinels_[host]->stdout_text());
    }
}

void redis_ha::kill_sentinel(int host) {
    if (sentinels_.contains(host)) {
        kill_and_reap(sentinels_[host]);
    }
}

}  // namespace skynet::testing
