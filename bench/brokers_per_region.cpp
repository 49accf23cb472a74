// skynet-bench --brokers-per-region N (issue 19): calls per second as one
// region gets 1, 2, .. N brokers, every one registered in the same Redis,
// our echo workers serving on each (they find them in the registry), and
// clients that name no broker (they find them too). The peers stay the same
// from row to row; only the brokers change. On this 2-core machine every
// broker shares the cores with the peers, so the rows show what more brokers
// cost, not how they scale: the CPU per request says what they would give
// with a machine each.
#include "brokers_per_region.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>

#include "load.hpp"
#include "measure.hpp"
#include "redis_servers.hpp"
#include "region_fleet.hpp"

namespace skynet::bench {

namespace {

constexpr int region_workers = 2;  // echo workers, in one process
constexpr int region_clients = 4;  // discovering clients, in this process

// What one run with `brokers` brokers measured; CPU in ns per OK request.
struct region_row {
    int brokers = 0;
    double rate = 0;
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;  // every outcome but OK, and calls unanswered
    double broker_ns = 0;
    double worker_ns = 0;
    double client_ns = 0;
    // The busiest broker thread's CPU per request its broker routed,
    // assuming the clients' round robin spread them evenly.
    double loop_ns = 0;
    double spread = 0;  // least busy broker's CPU over the busiest's
    std::string error;
};

// CPU of each thread of each broker, to find the busiest one.
using thread_table = std::map<std::pair<pid_t, int>, std::chrono::nanoseconds>;

thread_table broker_threads(const std::vector<pid_t>& pids) {
    thread_table table;
    for (auto pid : pids) {
        for (const auto& [tid, cpu] : thread_cpus(pid)) {
            table[{pid, tid}] = cpu;
        }
    }
    return table;
}

std::chrono::nanoseconds busiest_thread(const thread_table& before, const thread_table& after) {
    std::chrono::nanoseconds most{0};
    for (const auto& [key, cpu] : after) {
        auto was = before.find(key);
        most =
            std::max(most, cpu - (was == before.end() ? std::chrono::nanoseconds(0) : was->second));
    }
    return most;
}

double spread_of(const std::vector<pid_t>& pids, const std::vector<std::chrono::nanoseconds>& was) {
    double least = 0;
    double most = 0;
    for (std::size_t i = 0; i < pids.size(); ++i) {
        const auto used = static_cast<double>((cpu_of({pids[i]}) - was[i]).count());
        least = i == 0 ? used : std::min(least, used);
        most = std::max(most, used);
    }
    return most > 0 ? least / most : 0;
}

load_plan region_plan(const bench_options& o, const std::string& redis, const std::string& region) {
    load_plan plan;
    plan.callers = region_clients;
    plan.inflight = std::max(1, o.inflight / region_clients);
    plan.size = o.size;
    plan.seconds = o.seconds;
    plan.requests = o.requests;
    plan.idempotent = o.idempotent;
    plan.redis = redis;
    plan.region = region;
    return plan;
}

// The measured run, once brokers and workers are in place.
void measure_into(region_row& row, const load_plan& plan, const std::vector<pid_t>& brokers,
                  pid_t workers) {
    std::vector<std::chrono::nanoseconds> each;
    for (auto pid : brokers) {
        each.push_back(cpu_of({pid}));
    }
    const auto threads = broker_threads(brokers);
    const auto worker_cpu = cpu_of({workers});
    const auto client_cpu = this_process_cpu();
    const auto r = run_skynet_load("", region_service, plan);
    const double client_ns = static_cast<double>((this_process_cpu() - client_cpu).count());
    const double worker_ns = static_cast<double>((cpu_of({workers}) - worker_cpu).count());
    double broker_ns = 0;
    for (std::size_t i = 0; i < brokers.size(); ++i) {
        broker_ns += static_cast<double>((cpu_of({brokers[i]}) - each[i]).count());
    }
    const double loop_ns =
        static_cast<double>(busiest_thread(threads, broker_threads(brokers)).count());
    row.rate = r.rate();
    row.ok = r.outcomes[0];
    row.failed = r.unanswered;
    for (std::size_t k = 1; k < r.outcomes.size(); ++k) {
        row.failed += r.outcomes[k];
    }
    const double ok = std::max<double>(1, static_cast<double>(row.ok));
    row.broker_ns = broker_ns / ok;
    row.worker_ns = worker_ns / ok;
    row.client_ns = client_ns / ok;
    row.loop_ns = loop_ns * static_cast<double>(brokers.size()) / ok;
    row.spread = spread_of(brokers, each);
}

region_row run_region(const bench_options& o, const std::string& redis,
                      const std::filesystem::path& dir, int brokers, int run) {
    region_row row;
    row.brokers = brokers;
    const auto region = "bpr-" + std::to_string(brokers) + "-" + std::to_string(run);
    std::vector<std::unique_ptr<broker_child>> fleet;
    std::vector<pid_t> pids;
    for (int i = 0; i < brokers; ++i) {
        const auto log = dir / (region + "-broker-" + std::to_string(i) + ".log");
        fleet.push_back(start_registered_broker(o.broker_binary, redis, region, log));
        if (!fleet.back()->error().empty()) {
            row.error = fleet.back()->error();
            return row;
        }
        pids.push_back(fleet.back()->pid());
    }
    echo_worker_process workers(redis, region, region_workers, brokers,
                                dir / (region + "-workers.log"));
    if (!workers.error().empty()) {
        row.error = workers.error();
        return row;
    }
    if (!brokers_listed(redis, region, brokers, std::chrono::seconds(30))) {
        row.error = "the registry did not list " + std::to_string(brokers) + " brokers serving " +
                    region_service;
        return row;
    }
    auto plan = region_plan(o, redis, region);
    auto warm = plan;
    warm.seconds = std::min(0.5, o.seconds);
    warm.requests = 0;
    run_skynet_load("", region_service, warm);  // connections made, caches warm
    measure_into(row, plan, pids, workers.pid());
    return row;
}

std::string grouped(double value) {
    // Appended rather than inserted: GCC 12 at -O3 takes string::insert
    // here for an overlapping copy (-Werror=restrict, a false positive).
    const auto digits = std::to_string(static_cast<long long>(value + 0.5));
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

void print_region_row(std::ostream& out, const region_row& row, double first_rate,
                      const char* tag) {
    if (!row.error.empty()) {
        out << "  " << row.brokers << "  failed: " << row.error << "\n";
        return;
    }
    char line[256];
    std::snprintf(
        line, sizeof line,
        "  %-7d %-4s %10s %6.2f %8llu %8.1f %8.1f %8.1f %8.1f %9.1f %7.2f %12s\n", row.brokers, tag,
        grouped(row.rate).c_str(), first_rate > 0 ? row.rate / first_rate : 0.0,
        static_cast<unsigned long long>(row.failed), row.broker_ns / 1e3, row.worker_ns / 1e3,
        row.client_ns / 1e3, (row.broker_ns + row.worker_ns + row.client_ns) / 1e3,
        row.loop_ns / 1e3, row.spread,
        grouped(row.loop_ns > 0 ? row.brokers * 1e9 / row.loop_ns : 0).c_str());
    out << line;
}

void print_region_header(std::ostream& out, const bench_options& o) {
    out << "brokers per region: " << region_clients << " discovering clients x "
        << std::max(1, o.inflight / region_clients) << " in flight, " << o.size << " B, "
        << region_workers << " echo workers (one process) serving on every broker, " << o.seconds
        << " s a run, " << o.repeat << " run(s) per row; CPU in us per OK request\n";
    out << "  brokers run      req/s   xN=1   failed  brokers  workers   client      all  "
           "loop/req  spread  machine/broker\n";
}

region_row median_of(std::vector<region_row> rows) {
    std::sort(rows.begin(), rows.end(),
              [](const region_row& a, const region_row& b) { return a.rate < b.rate; });
    return rows[rows.size() / 2];
}

void print_region_notes(std::ostream& out) {
    out << "  loop/req: CPU of the busiest thread of any broker (its loop) per request one "
           "broker routed; spread: the least busy broker's CPU over the busiest's.\n"
        << "  machine/broker: N x 1 s / loop/req, the rate if each broker's loop had a core of "
           "its own and clients and workers ran elsewhere (CPU only, the network aside).\n"
        << "  This machine's cores are shared by every broker, worker and client: the rows show "
           "the overhead of more brokers, not their scaling.\n";
}

}  // namespace

int run_brokers_per_region(const bench_options& o, std::ostream& out) {
    const auto dir = make_run_dir("skynet-bench-brokers");
    redis_child redis(dir);
    if (!redis.error().empty()) {
        out << "brokers per region: skipped: " << redis.error() << "\n";
        return 1;
    }
    print_region_header(out, o);
    std::vector<region_row> medians;
    for (int n = 1; n <= o.brokers_per_region; ++n) {
        std::vector<region_row> rows;
        for (int run = 0; run < o.repeat; ++run) {
            rows.push_back(run_region(o, redis.url(), dir, n, run));
            print_region_row(out, rows.back(),
                             medians.empty() ? rows.back().rate : medians.front().rate,
                             std::to_string(run + 1).c_str());
            if (!rows.back().error.empty()) {
                out << "  logs in " << dir.string() << "\n";
                return 1;
            }
        }
        medians.push_back(median_of(std::move(rows)));
    }
    out << "  medians:\n";
    for (const auto& row : medians) {
        print_region_row(out, row, medians.front().rate, "med");
    }
    print_region_notes(out);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return 0;
}

}  // namespace skynet::bench
