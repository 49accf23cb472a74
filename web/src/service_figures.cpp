#include "service_figures.hpp"

#include <algorithm>
#include <set>

namespace skynet::web {

namespace {

using nlohmann::json;
using std::chrono::duration;
using std::chrono::seconds;

constexpr seconds short_window{2};
constexpr seconds long_window{60};

// The delta of a counter across a sample: all of it after a restart.
std::uint64_t moved(std::uint64_t before, std::uint64_t now, bool restarted) {
    return restarted || now < before ? now : now - before;
}

// The sample at least `window` old (or the oldest), for a rate over it.
const auto& sample_before(const auto& samples, auto at) {
    auto it =
        std::find_if(samples.rbegin(), samples.rend(), [&](const auto& s) { return s.at <= at; });
    return it == samples.rend() ? samples.front() : *it;
}

double per_second(std::uint64_t count, duration<double> span) {
    return span.count() > 0 ? static_cast<double>(count) / span.count() : 0.0;
}

}  // namespace

// A worker's own percentile, as it publishes it.
std::uint64_t latency_us(const registry::instance& r, int which) {
    switch (which) {
        case 50:
            return r.stats.latency_p50_us;
        case 95:
            return r.stats.latency_p95_us;
        default:
            return r.stats.latency_p99_us;
    }
}

void service_figures::count(const registry::instance& r, service_state& s) {
    auto [it, fresh] = seen_.try_emplace(r.id);
    auto& w = it->second;
    if (!fresh) {
        const bool restarted = w.pid != r.pid;
        s.requests += moved(w.requests, r.stats.requests, restarted);
        s.errors += moved(w.errors, r.stats.errors, restarted);
    }
    w = {r.pid, r.stats.requests, r.stats.errors};
}

json service_figures::update(const std::map<std::string, registry::instance>& instances,
                             const std::map<std::string, service_load>& loads,
                             steady::time_point now, std::int64_t now_ms) {
    std::map<std::string, std::vector<const registry::instance*>> workers;
    std::set<std::string> live;
    for (const auto& [id, r] : instances) {
        if (r.kind != registry::instance_kind::worker || r.service.empty()) {
            continue;
        }
        workers[r.service].push_back(&r);
        live.insert(id);
        count(r, services_[r.service]);
    }
    std::erase_if(seen_, [&](const auto& entry) { return !live.contains(entry.first); });
    std::erase_if(services_, [&](const auto& entry) { return !workers.contains(entry.first); });
    json out = json::array();
    for (auto& [name, state] : services_) {
        const auto at = loads.find(name);
        out.push_back(figures_of(name, state, workers[name],
                                 at == loads.end() ? service_load{} : at->second, now, now_ms));
    }
    return out;
}

namespace {

// What a service's live workers say together.
struct worker_sums {
    std::set<std::string> versions;
    int registered = 0;
    std::uint64_t requests = 0, errors = 0;
    double weighted_us[3] = {0, 0, 0};  // p50, p95, p99 times each worker's requests

    explicit worker_sums(const std::vector<const registry::instance*>& workers) {
        for (const auto* r : workers) {
            if (!r->version.empty()) {
                versions.insert(r->version);
            }
            registered += r->registered ? 1 : 0;
            requests += r->stats.requests;
            errors += r->stats.errors;
            const int which[3] = {50, 95, 99};
            for (int i = 0; i < 3; ++i) {
                weighted_us[i] += static_cast<double>(latency_us(*r, which[i]) * r->stats.requests);
            }
        }
    }
    // Request-weighted, in ms; 0 before any request.
    double ms(int i) const {
        return requests == 0 ? 0.0 : weighted_us[i] / static_cast<double>(requests) / 1000.0;
    }
};

}  // namespace

json service_figures::figures_of(const std::string& name, service_state& s,
                                 const std::vector<const registry::instance*>& workers,
                                 const service_load& load, steady::time_point now,
                                 std::int64_t now_ms) {
    s.samples.push_back({now, s.requests, s.errors});
    while (s.samples.size() > 2 && s.samples[1].at <= now - long_window) {
        s.samples.pop_front();
    }
    const auto& recent = sample_before(s.samples, now - short_window);
    const auto& minute = s.samples.front();
    const auto minute_requests = s.requests - minute.requests;
    const auto minute_errors = s.errors - minute.errors;
    const worker_sums sums(workers);
    add_history(s, sums.ms(2), now, now_ms);
    return json{
        {"service", name},
        {"versions", sums.versions},
        {"instances", workers.size()},
        {"registered", sums.registered},
        {"rps_1s", per_second(s.requests - recent.requests, now - recent.at)},
        {"rps_60s", per_second(minute_requests, now - minute.at)},
        {"error_rate", minute_requests == 0 ? 0.0
                                            : static_cast<double>(minute_errors) /
                                                  static_cast<double>(minute_requests)},
        {"p50_ms", sums.ms(0)},
        {"p95_ms", sums.ms(1)},
        {"p99_ms", sums.ms(2)},
        {"queued", load.queued},
        {"idle", load.idle},
        {"busy", load.busy},
        {"requests", sums.requests},
        {"errors", sums.errors},
        {"history", s.history},
    };
}

void service_figures::add_history(service_state& s, double p99_ms, steady::time_point now,
                                  std::int64_t now_ms) {
    if (s.history_at == steady::time_point{}) {
        s.history_at = now;
        s.history_requests = s.requests;
        return;
    }
    if (now - s.history_at < history_step_) {
        return;
    }
    const double rps = per_second(s.requests - s.history_requests, now - s.history_at);
    s.history.push_back({{"t", now_ms}, {"rps", rps}, {"p99_ms", p99_ms}});
    while (s.history.size() > history_points_) {
        s.history.pop_front();
    }
    s.history_at = now;
    s.history_requests = s.requests;
}

}  // namespace skynet::web
