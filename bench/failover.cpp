// skynet-bench --failover (issue 19): the registry behind Redis Sentinel (a
// master, a replica, three sentinels), two brokers and our echo workers
// registered through redis-sentinel://, and two clients finding the brokers
// there, one making idempotent calls and one not, at a steady rate. Then the
// master gets SIGKILL, and we measure (a) the time until a sentinel announces
// the replica promoted (+switch-master), (b) the time until every broker's and
// worker's record has been written again on the new master, read on it
// directly, and (c) the calls that failed meanwhile (the data path never
// waits on Redis: there should be none).
#include "failover.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>

#include "paced_load.hpp"
#include "peers.hpp"
#include "redis_direct.hpp"
#include "redis_servers.hpp"
#include "region_fleet.hpp"
#include "sentinel_watch.hpp"
#include "skynet/registry/connection.hpp"

namespace skynet::bench {

namespace {

using steady = std::chrono::steady_clock;

constexpr const char* failover_region = "failover";
constexpr int failover_brokers = 2;
constexpr int failover_workers = 2;
constexpr int calls_per_second = 500;  // per client
// A failover that stalls is tried again after twice the failover timeout,
// and a sentinel in TILT acts on nothing for 30 s: wait past both.
constexpr std::chrono::seconds news_limit{60};

struct failover_figures {
    double odown_s = -1;    // SIGKILL to the first +odown
    double switch_s = -1;   // SIGKILL to the first +switch-master
    double renewed_s = -1;  // SIGKILL to every record written again on the new master
    std::vector<std::string> not_renewed;
    int tilts = 0;  // +tilt seen between the SIGKILL and the switch
    std::optional<steady::time_point> killed;
    std::size_t records = 0;
    paced_tally idempotent;
    paced_tally plain;
    std::string error;
};

double seconds_between(steady::time_point from, std::optional<steady::time_point> to) {
    return to ? std::chrono::duration<double>(*to - from).count() : -1;
}

// The ids of every broker and worker of the region, as the master has them.
std::vector<std::string> region_ids(const std::string& url) {
    std::vector<std::string> ids;
    auto settings = registry::options_from_url(url);
    if (!settings) {
        return ids;
    }
    auto c = registry::connection::open(*settings);
    if (!c) {
        return ids;
    }
    if (auto found = c->find({.region = failover_region})) {
        for (const auto& record : *found) {
            ids.push_back(record.id);
        }
    }
    return ids;
}

// Each id's lease expiry in the `instances` zset of the server on `port`.
std::map<std::string, double> lease_scores(int port, const std::vector<std::string>& ids) {
    std::map<std::string, double> scores;
    auto c = redis_direct::open("127.0.0.1", port, std::chrono::milliseconds(1000));
    for (const auto& id : ids) {
        auto score = c ? c->command({"ZSCORE", "skynet:instances", id}) : std::nullopt;
        scores[id] = score && !score->empty() ? std::stod(*score) : 0;
    }
    return scores;
}

// Waits until each id's record exists on the server on `port` with a lease
// later than `before` had: written there since the promotion. Returns the
// ids never renewed; `done` is when the last one was.
std::vector<std::string> wait_renewed(int port, const std::map<std::string, double>& before,
                                      steady::time_point& done) {
    std::vector<std::string> waiting;
    for (const auto& [id, score] : before) {
        waiting.push_back(id);
    }
    const auto deadline = steady::now() + news_limit;
    auto c = redis_direct::open("127.0.0.1", port, std::chrono::milliseconds(1000));
    while (c && !waiting.empty() && steady::now() < deadline) {
        std::erase_if(waiting, [&](const std::string& id) {
            auto score = c->command({"ZSCORE", "skynet:instances", id});
            auto exists = c->command({"EXISTS", "skynet:instance:" + id});
            return score && !score->empty() && std::stod(*score) > before.at(id) && exists &&
                   *exists == "1";
        });
        done = steady::now();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return waiting;
}

std::unique_ptr<paced_load> steady_client(const std::string& url, bool idempotent) {
    client_options c;
    c.redis = url;
    c.region = failover_region;
    c.name = idempotent ? "bench-failover-idempotent" : "bench-failover";
    call_options call;
    call.idempotent = idempotent;
    call.timeout = std::chrono::milliseconds(2000);
    return std::make_unique<paced_load>(std::move(c), call, region_service, calls_per_second);
}

// The SIGKILL and what follows it, with the load running.
void kill_and_watch(sentinel_group& set, const std::vector<std::string>& ids, failover_figures& f) {
    // A sentinel in TILT (its timer stalled: the machine is overloaded)
    // would turn the figure into its 30 s of inaction.
    if (!set.wait_untilted(news_limit)) {
        f.error = "the sentinels stayed in TILT mode for a minute: the machine is overloaded";
        return;
    }
    sentinel_watch watch(set.sentinel_ports());
    const int old_master = set.master_port();
    if (!watch.wait_subscribed(std::chrono::seconds(5)) || set.server_on(old_master) == nullptr) {
        f.error = "could not subscribe to the sentinels or find the master";
        return;
    }
    const auto killed = steady::now();
    f.killed = killed;
    set.server_on(old_master)->kill_now();
    // Until its promotion nobody can write to the replica: its leases are
    // those of the last writes to the old master.
    const auto before = lease_scores(set.other_port(old_master), ids);
    if (!watch.wait_switch(news_limit)) {
        f.error = "no +switch-master within 60 s";
        f.tilts = watch.tilts();
        return;
    }
    f.odown_s = seconds_between(killed, watch.odown_at());
    f.switch_s = seconds_between(killed, watch.switch_at());
    f.tilts = watch.tilts();
    steady::time_point done = steady::now();
    f.not_renewed = wait_renewed(watch.new_master_port(), before, done);
    f.renewed_s = f.not_renewed.empty() ? seconds_between(killed, done) : -1;
}

failover_figures run_once(const bench_options& o, const std::filesystem::path& dir) {
    failover_figures f;
    sentinel_group set(dir);
    if (!set.error().empty()) {
        f.error = set.error();
        return f;
    }
    std::vector<std::unique_ptr<broker_child>> brokers;
    for (int i = 0; i < failover_brokers; ++i) {
        const auto log = dir / ("broker-" + std::to_string(i) + ".log");
        brokers.push_back(
            start_registered_broker(o.broker_binary, set.url(), failover_region, log));
        if (!brokers.back()->error().empty()) {
            f.error = brokers.back()->error();
            return f;
        }
    }
    echo_worker_process workers(set.url(), failover_region, failover_workers, failover_brokers,
                                dir / "workers.log");
    if (!workers.error().empty() ||
        !brokers_listed(set.url(), failover_region, failover_brokers, news_limit)) {
        f.error = workers.error().empty() ? "brokers not listed as serving" : workers.error();
        return f;
    }
    const auto ids = region_ids(set.url());
    f.records = ids.size();
    auto idempotent = steady_client(set.url(), true);
    auto plain = steady_client(set.url(), false);
    wait_until([&] { return idempotent->ok() >= 200 && plain->ok() >= 200; },
               std::chrono::seconds(10));
    kill_and_watch(set, ids, f);
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the load runs on past it
    idempotent->halt();
    plain->halt();
    f.idempotent = idempotent->stop(std::chrono::seconds(3));
    f.plain = plain->stop(std::chrono::seconds(3));
    return f;
}

}  // namespace

namespace {

double median_seconds(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? -1 : values[values.size() / 2];
}

double largest_seconds(const std::vector<double>& values) {
    return values.empty() ? -1 : *std::max_element(values.begin(), values.end());
}

// "N ok, M failed (CODES)", and when the failed ones were made.
std::string calls_text(const paced_tally& t, std::optional<steady::time_point> killed) {
    auto text = std::to_string(t.ok()) + " ok, " + std::to_string(t.failed()) + " failed (" +
                t.failures() + ")";
    if (killed && t.first_failed_sent) {
        char when[128];
        std::snprintf(when, sizeof when,
                      ", made %.2f to %.2f s after the SIGKILL, the last ended at %.2f s",
                      seconds_between(*killed, t.first_failed_sent),
                      seconds_between(*killed, t.last_failed_sent),
                      seconds_between(*killed, t.last_failed_end));
        text += when;
    }
    return text;
}

void print_failover_run(std::ostream& out, int run, const failover_figures& f) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "  run %d: +odown %.2f s, +switch-master %.2f s, all %zu records renewed on the "
                  "new master %.2f s after the SIGKILL (%.2f s after the switch)\n",
                  run, f.odown_s, f.switch_s, f.records, f.renewed_s,
                  f.renewed_s >= 0 ? f.renewed_s - f.switch_s : -1.0);
    out << (f.error.empty() ? std::string(line)
                            : "  run " + std::to_string(run) + " not measured: " + f.error + "\n");
    if (f.tilts > 0) {
        out << "    +tilt seen " << f.tilts << " times after the SIGKILL: a sentinel's timer "
            << "stalled (the machine is overloaded) and it acted on nothing for 30 s\n";
    }
    for (const auto& id : f.not_renewed) {
        out << "    not renewed within 60 s: " << id << "\n";
    }
    out << "    idempotent calls: " << calls_text(f.idempotent, f.killed)
        << "; non-idempotent calls: " << calls_text(f.plain, f.killed) << "\n";
}

void print_failover_summary(std::ostream& out, const std::vector<failover_figures>& runs) {
    std::vector<double> switched;
    std::vector<double> renewed;
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;
    for (const auto& f : runs) {
        switched.push_back(f.switch_s);
        if (f.renewed_s >= 0) {
            renewed.push_back(f.renewed_s);
        }
        ok += f.idempotent.ok() + f.plain.ok();
        failed += f.idempotent.failed() + f.plain.failed();
    }
    char line[256];
    std::snprintf(
        line, sizeof line,
        "  over %zu runs: +switch-master median %.2f s, max %.2f s; every record "
        "renewed median %.2f s, max %.2f s (%zu of %zu runs); calls %llu ok, %llu failed\n",
        runs.size(), median_seconds(switched), largest_seconds(switched), median_seconds(renewed),
        largest_seconds(renewed), renewed.size(), runs.size(), static_cast<unsigned long long>(ok),
        static_cast<unsigned long long>(failed));
    out << line;
}

}  // namespace

int run_failover(const bench_options& o, std::ostream& out) {
    out << "registry failover: master + replica + 3 sentinels (quorum 2, down-after "
        << sentinel_down_after_ms << " ms), " << failover_brokers << " brokers and "
        << failover_workers
        << " echo workers registered through redis-sentinel://, 2 "
           "discovering clients at "
        << calls_per_second << " calls/s each (idempotent, not), 2 s timeout; SIGKILL the master\n";
    std::vector<failover_figures> runs;
    for (int run = 1; run <= o.repeat; ++run) {
        const auto dir = make_run_dir("skynet-bench-failover");
        auto f = run_once(o, dir);
        print_failover_run(out, run, f);
        const bool clean = f.error.empty() && f.not_renewed.empty() &&
                           f.idempotent.failed() + f.plain.failed() == 0;
        if (clean) {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        } else {
            out << "    logs kept in " << dir.string() << "\n";
        }
        if (f.error.empty()) {
            runs.push_back(std::move(f));
        }
    }
    if (runs.empty()) {
        return 1;
    }
    print_failover_summary(out, runs);
    return 0;
}

}  // namespace skynet::bench
