#include "region_fleet.hpp"

#include <algorithm>
#include <sstream>

#include "fleet.hpp"
#include "free_port.hpp"
#include "measure.hpp"
#include "peers.hpp"
#include "skynet/registry/connection.hpp"

namespace skynet::bench {

namespace {

constexpr std::chrono::seconds worker_limit{60};

bool serves(const registry::instance& broker) {
    return std::find(broker.services.begin(), broker.services.end(), region_service) !=
           broker.services.end();
}

}  // namespace

std::unique_ptr<broker_child> start_registered_broker(const std::string& binary,
                                                      const std::string& redis,
                                                      const std::string& region,
                                                      const std::filesystem::path& log) {
    return std::make_unique<broker_child>(
        binary,
        std::vector<std::string>{"--redis", redis, "--region", region, "--drain-ms", "100",
                                 "--log-level", "info"},
        log);
}

echo_worker_process::echo_worker_process(const std::string& redis, const std::string& region,
                                         int workers, int brokers,
                                         const std::filesystem::path& log) {
    process_ = std::make_unique<child_process>(
        std::vector<std::string>{self_path(), "--child", "echo-workers", "--child-endpoint", redis,
                                 "--child-region", region, "--child-count", std::to_string(workers),
                                 "--child-brokers", std::to_string(brokers), "--child-service",
                                 region_service, "--log-level", "info"},
        log);
    auto line = process_->read_line(worker_limit);
    if (!line || !line->starts_with("ready")) {
        error_ = "echo workers not on " + std::to_string(brokers) + " brokers in time (see " +
                 log.string() + ")";
        return;
    }
    std::istringstream words(line->substr(5));
    for (std::string id; words >> id;) {
        ids_.push_back(id);
    }
}

bool brokers_listed(const std::string& redis, const std::string& region, int brokers,
                    std::chrono::milliseconds limit) {
    auto settings = registry::options_from_url(redis);
    if (!settings) {
        return false;
    }
    return wait_until(
        [&] {
            auto c = registry::connection::open(*settings);
            if (!c) {
                return false;
            }
            auto found = c->find({.region = region, .kind = registry::instance_kind::broker});
            return found && std::count_if(found->begin(), found->end(), serves) == brokers;
        },
        limit);
}

std::chrono::nanoseconds cpu_of(const std::vector<pid_t>& pids) {
    std::chrono::nanoseconds total{0};
    for (auto pid : pids) {
        total += process_cpu(pid).value_or(std::chrono::nanoseconds(0));
    }
    return total;
}

}  // namespace skynet::bench
