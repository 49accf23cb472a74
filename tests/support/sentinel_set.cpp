#include "sentinel_set.hpp"

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "eventually.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::testing {

namespace {

using namespace std::chrono_literals;

// Short, so that a test's failover takes seconds: the master is down after
// a second of silence, and a failover that stalls is tried again after 5 s.
constexpr int down_after_ms = 1000;
constexpr int failover_timeout_ms = 5000;

int count_lines(const std::string& text) {
    int lines = 0;
    for (char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    return text.empty() ? 0 : lines + 1;
}

}  // namespace

void write_sentinel_config(const std::filesystem::path& file, const std::string& address, int port,
                           const std::string& name, const std::string& master_address,
                           int master_port) {
    std::ofstream(file) << "port " << port << "\n"
                        << "bind " << address << "\n"
                        << "daemonize no\n"
                        << "dir " << file.parent_path().string() << "\n"
                        << "sentinel monitor " << name << " " << master_address << " "
                        << master_port << " 2\n"
                        << "sentinel down-after-milliseconds " << name << " " << down_after_ms
                        << "\n"
                        << "sentinel failover-timeout " << name << " " << failover_timeout_ms
                        << "\n";
}

std::string redis_cli(int port, std::vector<std::string> args) {
    return redis_cli("127.0.0.1", port, std::move(args));
}

std::string redis_cli(const std::string& host, int port, std::vector<std::string> args) {
    args.insert(args.begin(), {"-h", host, "-p", std::to_string(port)});
    auto ran = run_program("/usr/bin/redis-cli", std::move(args), 10s);
    if (ran.status != 0) {
        return {};
    }
    while (!ran.out.empty() && (ran.out.back() == '\n' || ran.out.back() == '\r')) {
        ran.out.pop_back();
    }
    return ran.out;
}

sentinel_set::sentinel_set(std::filesystem::path dir, std::string master_name)
    : dir_(std::move(dir)), name_(std::move(master_name)) {
    servers_.push_back(std::make_unique<redis_server>());
    const auto master = std::to_string(servers_[0]->port());
    servers_.push_back(std::make_unique<redis_server>(
        std::vector<std::string>{"--replicaof", "127.0.0.1", master}));
    // A sentinel learns of replicas from the master's INFO: the replica
    // must be attached before the sentinels first look.
    const bool attached = eventually(
        [&] {
            auto info = redis_cli(servers_[1]->port(), {"INFO", "replication"});
            return info.find("master_link_status:up") != std::string::npos;
        },
        30s);
    if (!attached) {
        throw std::runtime_error("the replica did not attach to its master");
    }
    for (int i = 0; i < 3; ++i) {
        start_sentinel(i);
    }
    const bool ready = eventually(
        [&] {
            for (int port : sentinel_ports_) {
                if (count_lines(redis_cli(port, {"SENTINEL", "replicas", name_})) == 0 ||
                    redis_cli(port, {"SENTINEL", "ckquorum", name_}).find("OK") != 0) {
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

sentinel_set::~sentinel_set() = default;

void sentinel_set::start_sentinel(int index) {
    const int port = free_port();
    const auto conf = dir_ / ("sentinel-" + std::to_string(index) + ".conf");
    write_sentinel_config(conf, "127.0.0.1", port, name_, "127.0.0.1", servers_[0]->port());
    sentinels_.push_back(std::make_unique<child_process>("/usr/bin/redis-sentinel",
                                                         std::vector<std::string>{conf.string()}));
    sentinel_ports_.push_back(port);
    if (!eventually([&] { return redis_server::answers(port); }, 20s)) {
        throw std::runtime_error("redis-sentinel did not start: " +
                                 sentinels_.back()->stderr_text());
    }
}

std::string sentinel_set::url() const {
    registry::redis_url url;
    for (int port : sentinel_ports_) {
        url.sentinels.push_back({"127.0.0.1", port});
    }
    url.master_name = name_;
    return url.to_string();
}

int sentinel_set::master_port() const {
    for (int port : sentinel_ports_) {
        auto answer = redis_cli(port, {"SENTINEL", "get-master-addr-by-name", name_});
        auto newline = answer.find('\n');
        if (newline != std::string::npos) {
            try {
                return std::stoi(answer.substr(newline + 1));
            } catch (const std::exception&) {
            }
        }
    }
    return 0;
}

int sentinel_set::stop_master() {
    const int port = master_port();
    for (auto& server : servers_) {
        if (server->port() == port) {
            server->stop();
        }
    }
    return port;
}

bool sentinel_set::force_failover() {
    return redis_cli(sentinel_ports_.front(), {"SENTINEL", "FAILOVER", name_}) == "OK";
}

}  // namespace skynet::testing
