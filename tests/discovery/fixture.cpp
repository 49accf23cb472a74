#include "fixture.hpp"

#include <csignal>

namespace skynet::testing {

registry_cluster::registry_cluster() = default;

std::string registry_cluster::start_broker(const std::string& region,
                                           std::vector<std::string> extra) {
    auto endpoint = loopback_endpoint(free_port());
    std::vector<std::string> args{"--bind", endpoint,         "--redis", url(),         "--region",
                                  region,   "--heartbeat-ms", "100",     "--log-level", "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    brokers_.emplace_back(endpoint, std::make_unique<child_process>("skynet-broker", args));
    return endpoint;
}

void registry_cluster::stop_broker(const std::string& endpoint) {
    for (auto& [where, process] : brokers_) {
        if (where == endpoint && process) {
            process->signal(SIGTERM);
            process->wait_exit(std::chrono::seconds(15));
        }
    }
}

void registry_cluster::signal_broker(const std::string& endpoint, int signo) {
    for (auto& [where, process] : brokers_) {
        if (where == endpoint && process) {
            process->signal(signo);
        }
    }
}

child_process& registry_cluster::start_service(const std::string& binary, const std::string& region,
                                               std::vector<std::string> extra) {
    std::vector<std::string> args{"--redis",        url(), "--region",    region,
                                  "--heartbeat-ms", "100", "--log-level", "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    services_.push_back(std::make_unique<child_process>(binary, std::move(args)));
    return *services_.back();
}

std::optional<registry::instance> registry_cluster::broker_at(const std::string& endpoint) {
    for (auto& b : find({.kind = registry::instance_kind::broker})) {
        if (b.endpoint == endpoint) {
            return b;
        }
    }
    return std::nullopt;
}

std::vector<registry::instance> registry_cluster::find(const registry::query& q) {
    auto settings = registry::options_from_url(url());
    if (!settings) {
        return {};
    }
    auto connection = registry::connection::open(*settings);
    if (!connection) {
        return {};
    }
    auto found = connection->find(q);
    return found ? *found : std::vector<registry::instance>{};
}

}  // namespace skynet::testing
