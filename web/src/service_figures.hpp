#pragma once
// Per-service figures, computed every second from the workers' counters in
// the registry (docs/dashboard.md "How the figures are made"):
//   - rates from the deltas of each worker's `requests` and `errors`: a
//     worker seen for the first time counts from then, one whose pid changed
//     or whose counter went back (a restart) counts its whole new value;
//   - rps_1s over the last 2 s (workers publish every 2 s: one second alone
//     would read 0 and 2x in turn), rps_60s over the last minute (or since
//     the dashboard started, if sooner), error_rate = errors / requests over
//     the last minute;
//   - p50/p95/p99: the workers' own percentiles, weighted by their requests;
//   - queued, idle, busy: from the brokers (broker_load.hpp);
//   - a history of {t, rps, p99_ms}, one point per history_step.
// Not thread-safe: the model calls it under its lock.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "broker_load.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/web/dashboard_options.hpp"

namespace skynet::web {

class service_figures {
public:
    using steady = std::chrono::steady_clock;

    explicit service_figures(const dashboard_options& options)
        : history_step_(options.history_step), history_points_(options.history_points) {}

    // Takes one sample of every worker in `instances` and returns the
    // /api/services array. `now_ms`: wall clock, for the history's "t".
    nlohmann::json update(const std::map<std::string, registry::instance>& instances,
                          const std::map<std::string, service_load>& loads, steady::time_point now,
                          std::int64_t now_ms);

private:
    struct seen_worker {
        std::int64_t pid = 0;
        std::uint64_t requests = 0, errors = 0;
    };
    struct sample {
        steady::time_point at;
        std::uint64_t requests = 0, errors = 0;  // cumulative since the dashboard began
    };
    struct service_state {
        std::uint64_t requests = 0, errors = 0;  // cumulative deltas
        std::deque<sample> samples;              // the last minute
        std::deque<nlohmann::json> history;
        steady::time_point history_at{};
        std::uint64_t history_requests = 0;
    };

    void count(const registry::instance& r, service_state& s);
    nlohmann::json figures_of(const std::string& name, service_state& s,
                              const std::vector<const registry::instance*>& workers,
                              const service_load& load, steady::time_point now,
                              std::int64_t now_ms);
    void add_history(service_state& s, double p99_ms, steady::time_point now, std::int64_t now_ms);

    const std::chrono::milliseconds history_step_;
    const std::size_t history_points_;
    std::map<std::string, seen_worker> seen_;
    std::map<std::string, service_state> services_;
};

// The workers' percentile `which` (50, 95 or 99) of one record, in µs; 0
// where the record has none (p50 and p95 until the metrics helper's fields
// are merged).
std::uint64_t latency_us(const registry::instance& r, int which);

}  // namespace skynet::web
