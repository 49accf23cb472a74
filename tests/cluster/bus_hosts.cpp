#include "bus_hosts.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <set>

#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::testing {

namespace {

using registry::instance_kind;

std::string tail_of(const std::string& log) {
    constexpr std::size_t kept = 3000;
    return log.size() > kept ? log.substr(log.size() - kept) : log;
}

}  // namespace

bus_hosts::bus_hosts(const host_fabric& hosts, std::vector<std::string> regions,
                     std::string registry_url, std::filesystem::path dir)
    : hosts_(hosts),
      regions_(std::move(regions)),
      url_(std::move(registry_url)),
      dir_(std::move(dir)),
      processes_(static_cast<std::size_t>(hosts.size())) {}

bus_hosts::~bus_hosts() {
    for (int host = 0; host < hosts_.size(); ++host) {
        kill(host);
    }
}

std::string bus_hosts::broker_endpoint(int host) const {
    return "tcp://" + hosts_.address(host) + ":" + std::to_string(broker_port);
}

std::unique_ptr<child_process> bus_hosts::launch(int host, const std::string& binary,
                                                 std::vector<std::string> own_args) {
    std::vector<std::string> common{"--redis",        url_,
                                    "--region",       regions_.at(host),
                                    "--host",         hosts_.name(host),
                                    "--heartbeat-ms", std::to_string(heartbeat.count()),
                                    "--lease-ms",     std::to_string(lease.count()),
                                    "--log-level",    "warn"};
    own_args.insert(own_args.end(), common.begin(), common.end());
    auto [program, args] = hosts_.exec(host, binary, std::move(own_args));
    return std::make_unique<child_process>(program, std::move(args));
}

void bus_hosts::start(int host) {
    auto& p = processes_.at(host);
    kill(host);
    p.broker = launch(host, "skynet-broker",
                      {"--bind", broker_endpoint(host), "--liveness", std::to_string(liveness)});
    const int incarnation = p.incarnations++;
    for (int i = 0; i < workers_per_host; ++i) {
        auto log = dir_ / ("worker-" + hosts_.name(host) + "-" + std::to_string(i) + "-" +
                           std::to_string(incarnation) + ".log");
        p.logs.push_back(log);
        p.workers.push_back(launch(host, "skynet-chaos-worker", {"--log", log.string()}));
    }
}

void bus_hosts::end(int host, const std::string& role, std::unique_ptr<child_process>& process) {
    if (!process) {
        return;
    }
    process->signal(SIGKILL);
    (void)process->wait_exit(std::chrono::seconds(10));
    std::ofstream(dir_ / (role + "-" + hosts_.name(host) + ".err"), std::ios::app)
        << process->stderr_text();
    process.reset();
}

void bus_hosts::kill(int host) {
    auto& p = processes_.at(host);
    for (auto& worker : p.workers) {
        end(host, "worker", worker);
    }
    p.workers.clear();
    end(host, "broker", p.broker);
}

std::vector<std::pair<instance_kind, pid_t>> bus_hosts::live() const {
    std::vector<std::pair<instance_kind, pid_t>> out;
    for (const auto& p : processes_) {
        if (p.broker) {
            out.emplace_back(instance_kind::broker, p.broker->pid());
        }
        for (const auto& w : p.workers) {
            out.emplace_back(instance_kind::worker, w->pid());
        }
    }
    return out;
}

std::vector<registry::instance> bus_hosts::registered() {
    auto settings = registry::options_from_url(url_);
    auto connection = settings ? registry::connection::open(*settings)
                               : bus::result<registry::connection>(settings.err());
    if (!connection) {
        std::cerr << "registry: " << connection.err().detail << "\n";
        return {};
    }
    auto found = connection->find({});
    if (!found) {
        std::cerr << "registry: " << found.err().detail << "\n";
        return {};
    }
    return std::move(found).value();
}

bool bus_hosts::converged(std::string* why) {
    const auto records = registered();
    std::set<std::pair<instance_kind, std::int64_t>> expected, seen;
    for (const auto& [kind, pid] : live()) {
        expected.emplace(kind, pid);
    }
    std::string missing_brokers;
    for (const auto& r : records) {
        if (r.kind == instance_kind::daemon) {
            continue;
        }
        seen.emplace(r.kind, r.pid);
        for (int host = 0; r.kind == instance_kind::worker && host < hosts_.size(); ++host) {
            if (processes_[host].broker && regions_[host] == r.region &&
                r.broker.find(broker_endpoint(host)) == std::string::npos) {
                missing_brokers += " worker pid " + std::to_string(r.pid) + " not on " +
                                   broker_endpoint(host) + ";";
            }
        }
    }
    if (why != nullptr) {
        *why = "live " + std::to_string(expected.size()) + ", registered " +
               std::to_string(seen.size());
        for (const auto& [kind, pid] : seen) {
            if (!expected.contains({kind, pid})) {
                why->append(", stale ")
                    .append(to_string(kind))
                    .append(" pid ")
                    .append(std::to_string(pid));
            }
        }
        for (const auto& [kind, pid] : expected) {
            if (!seen.contains({kind, pid})) {
                why->append(", missing ")
                    .append(to_string(kind))
                    .append(" pid ")
                    .append(std::to_string(pid));
            }
        }
        why->append(missing_brokers);
    }
    return expected == seen && missing_brokers.empty();
}

std::vector<std::filesystem::path> bus_hosts::worker_logs() const {
    std::vector<std::filesystem::path> out;
    for (const auto& p : processes_) {
        out.insert(out.end(), p.logs.begin(), p.logs.end());
    }
    return out;
}

std::vector<std::filesystem::path> bus_hosts::worker_logs(int host) const {
    return processes_.at(host).logs;
}

std::string bus_hosts::stderr_tails() const {
    std::string out;
    for (int host = 0; host < hosts_.size(); ++host) {
        const auto& p = processes_[host];
        if (p.broker) {
            out += "--- broker " + hosts_.name(host) + ":\n" + tail_of(p.broker->stderr_text());
        }
        for (const auto& w : p.workers) {
            out += "--- worker " + hosts_.name(host) + ":\n" + tail_of(w->stderr_text());
        }
    }
    return out;
}

}  // namespace skynet::testing
