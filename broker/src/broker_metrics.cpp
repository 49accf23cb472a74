#include "broker_metrics.hpp"

#include "counters.hpp"

namespace skynet::broker_detail {

namespace {
using metrics::label;

// Two rows whose plain names are those of the per-service families
// (skynet_broker_requests_total{service,code}, skynet_broker_workers{service,
// state}): one name, one family, so these two go by another.
std::string_view table_name(std::string_view row) noexcept {
    if (row == "requests") {
        return "requests_received";
    }
    if (row == "workers") {
        return "workers_connected";
    }
    return row;
}

bool has_outcomes(const service_snapshot& s) noexcept {
    for (auto n : s.outcomes) {
        if (n != 0) {
            return true;
        }
    }
    return false;
}

// A service nobody called yet (an idle worker's) has no outcome series:
// 19 samples of zeros each would make a broker of 10,000 idle services'
// scrape ten times larger.
void add_outcomes(metrics::families& out, const std::vector<service_snapshot>& services) {
    auto requests = metrics::counter_family(
        "skynet_broker_requests_total",
        "Requests of a service by outcome: OK or the wire error code the client got.");
    requests.metric.reserve(services.size());
    for (const auto& s : services) {
        if (!has_outcomes(s)) {
            continue;
        }
        for (std::size_t code = 0; code < s.outcomes.size(); ++code) {
            if (s.outcomes[code] == 0 && code != 0) {
                continue;  // OK always; an error code once it happened
            }
            metrics::add_value(
                requests,
                {label{"service", s.name},
                 label{"code", std::string(bus::to_string(static_cast<bus::errc>(code)))}},
                static_cast<double>(s.outcomes[code]));
        }
    }
    out.push_back(std::move(requests));
    auto durations = metrics::histogram_family(
        "skynet_broker_request_duration_seconds",
        "Time from a request's dispatch to a worker to its reply, by service.");
    durations.metric.reserve(services.size());
    for (const auto& s : services) {
        if (has_outcomes(s)) {
            metrics::add_histogram(durations, {label{"service", s.name}}, s.duration);
        }
    }
    out.push_back(std::move(durations));
}

void add_levels(metrics::families& out, const std::vector<service_snapshot>& services) {
    auto queue = metrics::gauge_family("skynet_broker_queue_depth",
                                       "Requests of a service waiting for a worker.");
    auto workers =
        metrics::gauge_family("skynet_broker_workers",
                              "Workers of a service: idle (holding none) or busy (holding some).");
    queue.metric.reserve(services.size());
    workers.metric.reserve(2 * services.size());
    for (const auto& s : services) {
        metrics::add_value(queue, {label{"service", s.name}}, static_cast<double>(s.queued));
        metrics::add_value(workers, {label{"service", s.name}, label{"state", "idle"}},
                           static_cast<double>(s.idle));
        metrics::add_value(workers, {label{"service", s.name}, label{"state", "busy"}},
                           static_cast<double>(s.busy));
    }
    out.push_back(std::move(queue));
    out.push_back(std::move(workers));
}
}  // namespace

metrics::families broker_families(const broker_snapshot& snapshot, bool services) {
    metrics::families out;
    for (const auto& row : counter_table) {
        metrics::add_row(out, "skynet_broker", table_name(row.name), row.kind, row.help,
                         snapshot.stats.*row.value);
    }
    // The name for workers_lost, beside the table's own.
    metrics::add_row(out, "skynet_broker", "workers_expired", runtime::counter_kind::counter,
                     "Workers dropped by heartbeat expiry (the same as workers_lost).",
                     snapshot.stats.workers_lost);
    if (services) {
        add_outcomes(out, snapshot.services);
        add_levels(out, snapshot.services);
    }
    return out;
}

}  // namespace skynet::broker_detail
