// skynet-bench: the bus against its physical floor on this machine. Every
// scenario runs the same load through a baseline relay and through our
// broker, client and worker, in one process, and prints the ratios.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "brokers_per_region.hpp"
#include "child_roles.hpp"
#include "children.hpp"
#include "failover.hpp"
#include "measure.hpp"
#include "memory.hpp"
#include "options.hpp"
#include "registry_figures.hpp"
#include "report.hpp"
#include "scenarios.hpp"

namespace {

using namespace skynet::bench;

// The scenario running now, for the watchdog's last words.
std::atomic<const char*> current_step{"start"};

// Never hang: past `limit`, kill every child and leave with status 3, even
// if a thread of ours is stuck in a wait that has no deadline.
class watchdog {
public:
    explicit watchdog(std::chrono::seconds limit)
        : thread_([this, limit] {
              std::unique_lock lock(mutex_);
              if (!wake_.wait_for(lock, limit, [this] { return done_; })) {
                  std::fprintf(stderr, "skynet-bench: watchdog: gave up after %llds in %s\n",
                               static_cast<long long>(limit.count()), current_step.load());
                  kill_all_children();
                  _exit(3);
              }
          }) {}
    ~watchdog() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool done_ = false;  // guarded by mutex_
    std::thread thread_;
};

bool selected(const bench_options& o, const std::string& name) {
    return o.scenario.empty() || name.find(o.scenario) != std::string::npos;
}

scenario_result run_one(const bench_options& o, const scenario& s) {
    if (s.needs_local_broker && !o.broker.empty()) {
        scenario_result skipped;
        skipped.name = s.name;
        skipped.skipped = "needs our broker in this process (--broker was given)";
        return skipped;
    }
    current_step = s.name.c_str();
    try {
        return s.run(o);
    } catch (const std::exception& e) {
        scenario_result failed;
        failed.name = s.name;
        failed.skipped = std::string("failed: ") + e.what();
        return failed;
    }
}

// Runs `s` --repeat times and keeps the run of median ratio, with the ratios
// of all of them: on a shared machine one run can be 30% off.
scenario_result run_repeated(const bench_options& o, const scenario& s) {
    std::vector<scenario_result> results;
    for (int i = 0; i < o.repeat; ++i) {
        results.push_back(run_one(o, s));
        if (!o.json) {
            print_scenario(std::cout, results.back());
        }
    }
    std::vector<std::size_t> rated;
    std::vector<double> ratios;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (auto r = results[i].ratio()) {
            rated.push_back(i);
            ratios.push_back(*r);
        }
    }
    if (results.size() == 1 || rated.empty()) {
        return std::move(results.back());
    }
    std::sort(rated.begin(), rated.end(), [&](std::size_t a, std::size_t b) {
        return *results[a].ratio() < *results[b].ratio();
    });
    auto median = std::move(results[rated[rated.size() / 2]]);
    median.ratios = std::move(ratios);
    return median;
}

void run_memory(const bench_options& o, report& r) {
    if (!o.broker.empty()) {
        r.memory.push_back({"memory figures", std::nullopt, "",
                            "they measure our own "
                            "skynet-broker binary, not --broker",
                            ""});
        return;
    }
    current_step = "memory";
    try {
        r.memory = measure_memory(o);
    } catch (const std::exception& e) {
        r.memory.push_back({"memory figures", std::nullopt, "", e.what(), ""});
    }
    if (!o.json) {
        print_memory(std::cout, r.memory);
    }
}

// --brokers-per-region and --failover: figures of their own, run instead of
// the scenarios (each takes minutes and needs redis-server).
int run_registry_figures(const bench_options& o) {
    watchdog guard(std::chrono::seconds(240) * o.repeat * std::max(1, o.brokers_per_region));
    int status = 0;
    if (o.brokers_per_region > 0) {
        current_step = "brokers-per-region";
        status |= run_brokers_per_region(o, std::cout);
    }
    if (o.failover) {
        current_step = "failover";
        status |= run_failover(o, std::cout);
    }
    return status;
}

int run_bench(const bench_options& o) {
    if (o.brokers_per_region > 0 || o.failover) {
        return run_registry_figures(o);
    }
    const auto scenarios = all_scenarios();
    if (o.list) {
        for (const auto& s : scenarios) {
            std::cout << s.name << "  " << s.summary << "\n";
        }
        std::cout << "memory  broker RSS idle, with clients, workers and queued requests\n";
        return 0;
    }
    watchdog guard(std::chrono::seconds(o.quick ? 110 : 900) * o.repeat);
    report r;
    if (!o.json) {
        print_table_header(std::cout);
    }
    for (const auto& s : scenarios) {
        if (selected(o, s.name)) {
            r.scenarios.push_back(run_repeated(o, s));
        }
    }
    if (selected(o, "memory")) {
        run_memory(o, r);
    }
    if (selected(o, "registry") && o.broker.empty()) {
        current_step = "registry";
        for (auto& line : measure_registry(o)) {
            r.notes.push_back(std::move(line));
        }
    }
    if (o.json) {
        print_json(std::cout, r);
    } else {
        print_summary(std::cout, r);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = parse_options(argc, argv);
    if (!options.child.role.empty()) {
        return run_child(options.child);
    }
    raise_fd_limit();  // 10,000 peers need more descriptors than the usual 1,024
    return run_bench(options);
}
