#include "bus_hosts.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "chaos/registry_census.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {

namespace {

using namespace std::chrono_literals;
using registry::instance_kind;

// How long a skyd may take to come up and take commands, on a loaded machine.
constexpr auto daemon_patience = 45s;

std::string tail_of(const std::string& log) {
    constexpr std::size_t kept = 3000;
    return log.size() > kept ? log.substr(log.size() - kept) : log;
}

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The kind of bus process `pid` runs, by the name of its program; nothing for
// any other program (Redis, a sentinel, `ip` before it execs) or a process
// gone meanwhile.
std::optional<instance_kind> bus_kind_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
    std::string program;
    std::getline(in, program, '\0');
    const auto name = std::filesystem::path(program).filename().string();
    if (name == "skyd") {
        return instance_kind::daemon;
    }
    if (name == "skynet-broker") {
        return instance_kind::broker;
    }
    if (name == "skynet-chaos-worker") {
        return instance_kind::worker;
    }
    return std::nullopt;
}

struct bus_process {
    int host;
    instance_kind kind;
    pid_t pid;
};

std::vector<bus_process> bus_processes_of(const host_fabric& hosts, int host) {
    std::vector<bus_process> out;
    for (const pid_t pid : hosts.processes(host)) {
        if (auto kind = bus_kind_of(pid)) {
            out.push_back({host, *kind, pid});
        }
    }
    return out;
}

}  // namespace

bus_hosts::bus_hosts(const host_fabric& hosts, std::vector<std::string> regions,
                     std::string registry_url, std::filesystem::path dir)
    : hosts_(hosts),
      regions_(std::move(regions)),
      url_(std::move(registry_url)),
      dir_(std::move(dir)),
      daemons_(static_cast<std::size_t>(hosts.size())) {}

bus_hosts::~bus_hosts() {
    for (int host = 0; host < hosts_.size(); ++host) {
        kill(host);
    }
}

std::string bus_hosts::broker_endpoint(int host) const {
    return "tcp://" + hosts_.address(host) + ":" + std::to_string(broker_port);
}

run_result bus_hosts::sky(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--redis", url_});
    return run_program("sky", std::move(args), 30s);
}

std::optional<std::string> bus_hosts::start(int host) {
    kill(host);
    auto& d = daemons_.at(host);
    const auto name = hosts_.name(host);
    // Restarts compressed (the defaults wait a second and more), the lease
    // the test's; skyd gives what it runs the registry URL, region and host.
    auto [program, args] = hosts_.exec(host, "skyd",
                                       {"--redis",
                                        url_,
                                        "--region",
                                        regions_.at(host),
                                        "--host",
                                        name,
                                        "--state-dir",
                                        (host_dir(host) / "state").string(),
                                        "--log-dir",
                                        (host_dir(host) / "logs").string(),
                                        "--lease-ms",
                                        std::to_string(lease.count()),
                                        "--figures-ms",
                                        "1000",
                                        "--restart-delay-ms",
                                        "100",
                                        "--restart-max-ms",
                                        "400",
                                        "--log-level",
                                        "warn"});
    d.skyd = std::make_unique<child_process>(program, std::move(args));
    run_result answer;
    if (!eventually(
            [&] {
                answer = sky({"--host", name, "processes"});
                return answer.status == 0 || !d.skyd->running();
            },
            daemon_patience) ||
        answer.status != 0) {
        return "skyd of " + name + " takes no command: " + answer.out + answer.err +
               "\nskyd's stderr: " + tail_of(d.skyd->stderr_text());
    }
    if (d.deployed) {
        return std::nullopt;  // its state file brings the rest back
    }
    if (auto failed =
            deploy(host, "skynet-broker",
                   {"--bind", broker_endpoint(host), "--liveness", std::to_string(liveness)})) {
        return failed;
    }
    for (int i = 0; i < workers_per_host; ++i) {
        auto log = dir_ / ("worker-" + name + "-" + std::to_string(i) + ".log");
        d.logs.push_back(log);
        if (auto failed = deploy(host, "skynet-chaos-worker", {"--log", log.string()})) {
            return failed;
        }
    }
    d.deployed = true;
    return std::nullopt;
}

std::optional<std::string> bus_hosts::deploy(int host, const std::string& binary,
                                             std::vector<std::string> args) {
    std::vector<std::string> command{"--host", hosts_.name(host), "deploy",
                                     (bin_dir() / binary).string()};
    command.insert(command.end(), args.begin(), args.end());
    const std::vector<std::string> common{"--heartbeat-ms", std::to_string(heartbeat.count()),
                                          "--lease-ms",     std::to_string(lease.count()),
                                          "--log-level",    "warn"};
    command.insert(command.end(), common.begin(), common.end());
    const auto out = sky(std::move(command));
    if (out.status != 0) {
        return "sky deploy " + binary + " on " + hosts_.name(host) + " failed: " + out.out +
               out.err;
    }
    return std::nullopt;
}

void bus_hosts::kill(int host) {
    auto& d = daemons_.at(host);
    if (d.skyd) {
        // skyd first: alive, it would start again what dies next.
        d.skyd->signal(SIGKILL);
        (void)d.skyd->wait_exit(10s);
        std::ofstream(host_dir(host) / "skyd.err", std::ios::app) << d.skyd->stderr_text();
        d.skyd.reset();
    }
    // What skyd ran is no child of ours: SIGKILL until none is left.
    const bool gone = eventually(
        [&] {
            const auto left = bus_processes_of(hosts_, host);
            for (const auto& p : left) {
                ::kill(p.pid, SIGKILL);
            }
            return left.empty();
        },
        10s);
    if (!gone) {
        std::cerr << "cluster: bus processes of host " << hosts_.name(host)
                  << " outlived SIGKILL for 10 s\n";
    }
}

std::vector<std::pair<instance_kind, pid_t>> bus_hosts::live() const {
    std::vector<std::pair<instance_kind, pid_t>> out;
    for (int host = 0; host < hosts_.size(); ++host) {
        for (const auto& p : bus_processes_of(hosts_, host)) {
            out.emplace_back(p.kind, p.pid);
        }
    }
    return out;
}

std::vector<registry::instance> bus_hosts::registered() {
    return chaos::registry_records(url_);
}

bool bus_hosts::converged(std::string* why) {
    const auto records = registered();
    std::vector<bus_process> running;
    for (int host = 0; host < hosts_.size(); ++host) {
        const auto on_host = bus_processes_of(hosts_, host);
        running.insert(running.end(), on_host.begin(), on_host.end());
    }
    std::set<chaos::process_key> expected, seen;
    std::set<int> hosts_with_broker;
    for (const auto& p : running) {
        expected.emplace(p.kind, p.pid);
        if (p.kind == instance_kind::broker) {
            hosts_with_broker.insert(p.host);
        }
    }
    std::string missing_brokers;
    for (const auto& r : records) {
        seen.emplace(r.kind, r.pid);
        for (const int host : hosts_with_broker) {
            if (r.kind == instance_kind::worker && regions_[host] == r.region &&
                r.broker.find(broker_endpoint(host)) == std::string::npos) {
                missing_brokers +=
                    "; worker pid " + std::to_string(r.pid) + " not on " + broker_endpoint(host);
            }
        }
    }
    if (why != nullptr) {
        *why = chaos::census_difference(expected, seen) + missing_brokers;
    }
    // Only once the registry agrees: asking the daemons runs `sky`.
    return expected == seen && missing_brokers.empty() && daemons_agree(why);
}

bool bus_hosts::daemons_agree(std::string* why) {
    const auto out = sky({"processes", "--json"});
    const auto report = nlohmann::json::parse(out.out, nullptr, false);
    if (out.status != 0 || report.is_discarded()) {
        if (why != nullptr) {
            *why += "; sky processes failed: " + out.out + out.err;
        }
        return false;
    }
    std::map<std::string, std::set<std::int64_t>> reported;  // host -> pids running
    std::string not_running;
    for (const auto& row : report.value("processes", nlohmann::json::array())) {
        const auto host = row.value("host", "");
        const auto state = row.value("state", "");
        if (state == "running") {
            reported[host].insert(row.value("pid", std::int64_t{0}));
        } else {
            not_running += " " + row.value("id", "") + " on " + host + " " + state + ";";
        }
    }
    std::map<std::string, std::set<std::int64_t>> actual;
    for (int host = 0; host < hosts_.size(); ++host) {
        for (const auto& p : bus_processes_of(hosts_, host)) {
            if (p.kind != instance_kind::daemon) {
                actual[hosts_.name(host)].insert(p.pid);
            }
        }
    }
    const bool agree = reported == actual && not_running.empty();
    if (why != nullptr && !agree) {
        *why += "; the daemons' running pids differ from what runs:" + not_running;
        for (const auto& [host, pids] : reported) {
            *why += " " + host + " reports " + std::to_string(pids.size()) + ", runs " +
                    std::to_string(actual[host].size()) + ";";
        }
    }
    return agree;
}

std::vector<std::filesystem::path> bus_hosts::worker_logs() const {
    std::vector<std::filesystem::path> out;
    for (const auto& d : daemons_) {
        out.insert(out.end(), d.logs.begin(), d.logs.end());
    }
    return out;
}

std::vector<std::filesystem::path> bus_hosts::worker_logs(int host) const {
    return daemons_.at(host).logs;
}

std::string bus_hosts::stderr_tails() const {
    std::string out;
    for (int host = 0; host < hosts_.size(); ++host) {
        const auto& d = daemons_[host];
        if (d.skyd) {
            out += "--- skyd " + hosts_.name(host) + ":\n" + tail_of(d.skyd->stderr_text());
        }
        std::error_code error;
        for (std::filesystem::directory_iterator it(host_dir(host) / "logs", error), end;
             !error && it != end; it.increment(error)) {
            out += "--- " + it->path().filename().string() + " on " + hosts_.name(host) + ":\n" +
                   tail_of(file_text(it->path()));
        }
    }
    return out;
}

}  // namespace skynet::testing
