#include "redis_servers.hpp"

#include <stdlib.h>

#include <fstream>

#include "free_port.hpp"
#include "peers.hpp"
#include "redis_direct.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::bench {

namespace {

constexpr const char* redis_server_binary = "/usr/bin/redis-server";
constexpr const char* redis_sentinel_binary = "/usr/bin/redis-sentinel";
constexpr std::chrono::seconds start_limit{20};
constexpr std::chrono::seconds settle_limit{60};

bool answers(int port) {
    auto pong = redis_ask(port, {"PING"});
    return pong && *pong == "PONG";
}

int line_count(const std::string& text) {
    int lines = text.empty() ? 0 : 1;
    for (char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    return lines;
}

}  // namespace

std::filesystem::path make_run_dir(const std::string& stem) {
    auto pattern = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) {
        return {};
    }
    return pattern;
}

redis_child::redis_child(const std::filesystem::path& dir, std::vector<std::string> extra) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = free_loopback_port();
        const auto name = "redis-" + std::to_string(port_);
        std::vector<std::string> argv{redis_server_binary,
                                      "--port",
                                      std::to_string(port_),
                                      "--bind",
                                      "127.0.0.1",
                                      "--save",
                                      "",
                                      "--appendonly",
                                      "no",
                                      "--dir",
                                      dir.string(),
                                      "--logfile",
                                      (dir / (name + ".log")).string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        try {
            process_ = std::make_unique<child_process>(argv);
        } catch (const std::exception& e) {
            error_ = e.what();
            return;
        }
        if (wait_until([&] { return answers(port_); }, start_limit)) {
            error_.clear();
            return;
        }
        error_ = "redis-server did not answer on port " + std::to_string(port_);
        process_.reset();
    }
}

sentinel_group::sentinel_group(std::filesystem::path dir, std::string name)
    : dir_(std::move(dir)), name_(std::move(name)) {
    servers_.push_back(std::make_unique<redis_child>(dir_));
    const auto master = std::to_string(servers_[0]->port());
    servers_.push_back(std::make_unique<redis_child>(
        dir_, std::vector<std::string>{"--replicaof", "127.0.0.1", master}));
    if (!servers_[0]->error().empty() || !servers_[1]->error().empty()) {
        error_ = servers_[0]->error() + servers_[1]->error();
        return;
    }
    // A sentinel learns of replicas from the master's INFO: the replica must
    // be attached before the sentinels first look.
    const bool attached = wait_until(
        [&] {
            auto info = redis_ask(servers_[1]->port(), {"INFO", "replication"});
            return info && info->find("master_link_status:up") != std::string::npos;
        },
        settle_limit);
    if (!attached) {
        error_ = "the replica did not attach to its master";
        return;
    }
    for (int i = 0; i < 3; ++i) {
        if (!start_sentinel(i)) {
            return;
        }
    }
    if (!wait_until([this] { return sentinels_ready(); }, settle_limit)) {
        error_ = "the sentinels did not find the replica and each other";
    }
}

bool sentinel_group::start_sentinel(int index) {
    const int port = free_loopback_port();
    const auto stem = "sentinel-" + std::to_string(index);
    const auto conf = dir_ / (stem + ".conf");
    std::ofstream(conf) << "port " << port << "\n"
                        << "bind 127.0.0.1\n"
                        << "daemonize no\n"
                        << "dir " << dir_.string() << "\n"
                        << "logfile " << (dir_ / (stem + ".log")).string() << "\n"
                        << "sentinel monitor " << name_ << " 127.0.0.1 " << servers_[0]->port()
                        << " 2\n"
                        << "sentinel down-after-milliseconds " << name_ << " "
                        << sentinel_down_after_ms << "\n"
                        << "sentinel failover-timeout " << name_ << " "
                        << sentinel_failover_timeout_ms << "\n";
    try {
        sentinels_.push_back(std::make_unique<child_process>(
            std::vector<std::string>{redis_sentinel_binary, conf.string()}));
    } catch (const std::exception& e) {
        error_ = e.what();
        return false;
    }
    sentinel_ports_.push_back(port);
    if (!wait_until([port] { return answers(port); }, start_limit)) {
        error_ = "redis-sentinel did not answer on port " + std::to_string(port) + " (see " +
                 (dir_ / (stem + ".log")).string() + ")";
        return false;
    }
    return true;
}

bool sentinel_group::sentinels_ready() const {
    for (int port : sentinel_ports_) {
        auto replicas = redis_ask(port, {"SENTINEL", "replicas", name_});
        auto quorum = redis_ask(port, {"SENTINEL", "ckquorum", name_});
        if (!replicas || line_count(*replicas) == 0 || !quorum || quorum->find("OK") != 0) {
            return false;
        }
    }
    return true;
}

std::string sentinel_group::url() const {
    registry::redis_url url;
    for (int port : sentinel_ports_) {
        url.sentinels.push_back({"127.0.0.1", port});
    }
    url.master_name = name_;
    return url.to_string();
}

int sentinel_group::master_port() const {
    for (int port : sentinel_ports_) {
        auto answer = redis_ask(port, {"SENTINEL", "get-master-addr-by-name", name_});
        auto newline = answer ? answer->find('\n') : std::string::npos;
        if (newline != std::string::npos) {
            try {
                return std::stoi(answer->substr(newline + 1));
            } catch (const std::exception&) {
            }
        }
    }
    return 0;
}

redis_child* sentinel_group::server_on(int port) {
    for (auto& s : servers_) {
        if (s->port() == port) {
            return s.get();
        }
    }
    return nullptr;
}

bool sentinel_group::wait_untilted(std::chrono::milliseconds limit) const {
    return wait_until(
        [this] {
            for (int port : sentinel_ports_) {
                auto info = redis_ask(port, {"INFO", "sentinel"});
                if (!info || info->find("sentinel_tilt:0") == std::string::npos) {
                    return false;
                }
            }
            return true;
        },
        limit);
}

int sentinel_group::other_port(int port) const {
    return servers_[0]->port() == port ? servers_[1]->port() : servers_[0]->port();
}

}  // namespace skynet::bench
