#include "chaos_cluster.hpp"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "registry_census.hpp"

namespace skynet::testing::chaos {

namespace {

using registry::instance_kind;

const std::string heartbeat_ms = std::to_string(heartbeat.count());

// A restarted process must be gone first: a broker's port is taken until
// then. Its exit status, or -1 if it had to be killed.
int reap(child_process& process) {
    if (auto status = process.wait_exit(std::chrono::seconds(20))) {
        return *status;
    }
    process.signal(SIGKILL);
    process.wait_exit(std::chrono::seconds(10));
    return -1;
}

// What a process wrote to stderr (warnings and worse) outlives it, in the
// test's directory, for reading after a failure.
void keep_stderr(const std::filesystem::path& to, const child_process& process) {
    std::ofstream(to, std::ios::app) << process.stderr_text();
}

}  // namespace

cluster::cluster(std::filesystem::path dir) : dir_(std::move(dir)) {
    for (int i = 0; i < broker_count; ++i) {
        endpoints_.push_back(loopback_endpoint(free_port()));
        launch_broker(i);
    }
    for (int i = 0; i < worker_count; ++i) {
        launch_worker(i);
    }
}

cluster::~cluster() {
    // Workers first, so that none is left frozen or serving a dead broker;
    // the child_process destructors SIGKILL whatever still runs.
    std::lock_guard lock(mutex_);
    for (int i = 0; i < worker_count; ++i) {
        keep_stderr(dir_ / ("worker-" + std::to_string(i) + ".err"), *workers_[i]);
        workers_[i].reset();
    }
    for (int i = 0; i < broker_count; ++i) {
        if (brokers_[i]) {
            keep_stderr(dir_ / ("broker-" + std::to_string(i) + ".err"), *brokers_[i]);
            brokers_[i].reset();
        }
    }
}

std::filesystem::path cluster::worker_log(int i) const {
    return dir_ / ("worker-" + std::to_string(i) + ".log");
}

void cluster::launch_broker(int i) {
    auto process = std::make_unique<child_process>(
        "skynet-broker", std::vector<std::string>{
                             "--bind", endpoints_[i], "--redis", redis_url(), "--region", region,
                             "--heartbeat-ms", heartbeat_ms, "--liveness", std::to_string(liveness),
                             "--drain-ms", "3000", "--log-level", "warn"});
    std::lock_guard lock(mutex_);
    if (brokers_[i]) {
        keep_stderr(dir_ / ("broker-" + std::to_string(i) + ".err"), *brokers_[i]);
    }
    brokers_[i] = std::move(process);
}

void cluster::launch_worker(int i) {
    auto process = std::make_unique<child_process>(
        "skynet-chaos-worker",
        std::vector<std::string>{"--redis", redis_url(), "--region", region, "--heartbeat-ms",
                                 heartbeat_ms, "--log", worker_log(i).string(), "--log-level",
                                 "warn"});
    std::lock_guard lock(mutex_);
    if (workers_[i]) {
        keep_stderr(dir_ / ("worker-" + std::to_string(i) + ".err"), *workers_[i]);
    }
    workers_[i] = std::move(process);
}

void cluster::kill_worker(int i) {
    workers_[i]->signal(SIGKILL);
    reap(*workers_[i]);
    launch_worker(i);
}

void cluster::freeze_worker(int i, std::chrono::milliseconds how_long) {
    workers_[i]->signal(SIGSTOP);
    // The freeze itself is the chaos: long enough that brokers declare the
    // worker dead (liveness) while it still holds requests.
    std::this_thread::sleep_for(how_long);
    workers_[i]->signal(SIGCONT);
}

void cluster::kill_broker(int i) {
    brokers_[i]->signal(SIGKILL);
    reap(*brokers_[i]);
    std::lock_guard lock(mutex_);
    keep_stderr(dir_ / ("broker-" + std::to_string(i) + ".err"), *brokers_[i]);
    brokers_[i].reset();
}

void cluster::start_broker(int i) {
    launch_broker(i);
}

void cluster::restart_redis() {
    redis_.stop();
    redis_.start();
}

void cluster::restart_broker(int i) {
    brokers_[i]->signal(SIGTERM);
    note_exit("broker-" + std::to_string(i), reap(*brokers_[i]));
    launch_broker(i);
}

void cluster::restart_worker(int i) {
    workers_[i]->signal(SIGTERM);
    note_exit("worker-" + std::to_string(i), reap(*workers_[i]));
    launch_worker(i);
}

// After SIGTERM a process drains and exits 0; anything else (a crash, a
// sanitizer's report, a drain that never ends) is a finding.
void cluster::note_exit(const std::string& role, int status) {
    if (status != 0) {
        unclean_exits_.push_back(role + " exited with status " + std::to_string(status) +
                                 " after SIGTERM");
    }
}

std::vector<live_process> cluster::live() const {
    std::lock_guard lock(mutex_);
    std::vector<live_process> out;
    for (int i = 0; i < broker_count; ++i) {
        if (brokers_[i]) {
            out.push_back(
                {"broker-" + std::to_string(i), instance_kind::broker, brokers_[i]->pid()});
        }
    }
    for (int i = 0; i < worker_count; ++i) {
        if (workers_[i]) {
            out.push_back(
                {"worker-" + std::to_string(i), instance_kind::worker, workers_[i]->pid()});
        }
    }
    return out;
}

std::vector<registry::instance> cluster::registered() {
    return registry_records(redis_url(), {.region = region});
}

bool cluster::registry_matches(std::string* why) {
    std::set<process_key> expected, seen;
    for (const auto& p : live()) {
        expected.emplace(p.kind, p.pid);
    }
    for (const auto& r : registered()) {
        if (r.kind != instance_kind::daemon) {
            seen.emplace(r.kind, r.pid);
        }
    }
    if (why != nullptr) {
        *why = census_difference(expected, seen);
    }
    return expected == seen;
}

bool cluster::ready() {
    // Records of dead processes may linger until their lease ends: only the
    // live ones count here.
    auto processes = live();
    std::set<std::int64_t> live_pids, registered_pids;
    for (const auto& p : processes) {
        live_pids.insert(p.pid);
    }
    int serving_brokers = 0;
    for (const auto& r : registered()) {
        if (!live_pids.contains(r.pid)) {
            continue;
        }
        registered_pids.insert(r.pid);
        bool on_all = r.kind != instance_kind::worker ||
                      std::all_of(endpoints_.begin(), endpoints_.end(), [&](const auto& e) {
                          return r.broker.find(e) != std::string::npos;
                      });
        if (!on_all) {
            return false;  // a worker not yet on every broker
        }
        serving_brokers += r.kind == instance_kind::broker && !r.services.empty();
    }
    return processes.size() == broker_count + worker_count && registered_pids == live_pids &&
           serving_brokers == broker_count;
}

}  // namespace skynet::testing::chaos
