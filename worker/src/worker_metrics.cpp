#include "worker_metrics.hpp"

#include "skynet/runtime/counter_table.hpp"

namespace skynet::worker_detail {

namespace {
using metrics::label;

// The row whose plain name is the per-method family's goes by another.
std::string_view table_name(std::string_view row) noexcept {
    return row == "requests" ? "requests_received" : row;
}
}  // namespace

metrics::families worker_families(const worker_stats& stats, const method_metrics& methods) {
    static constexpr auto table = SKYNET_COUNTER_TABLE(worker_stats, SKYNET_WORKER_COUNTERS);
    metrics::families out;
    for (const auto& row : table) {
        metrics::add_row(out, "skynet_worker", table_name(row.name), row.kind, row.help,
                         stats.*row.value);
    }
    auto requests = metrics::counter_family("skynet_worker_requests_total",
                                            "Requests handled by method and outcome code.");
    auto durations = metrics::histogram_family(
        "skynet_worker_request_duration_seconds",
        "Time from a request's arrival at the worker to its reply, by method.");
    for (const auto& c : methods.cells()) {
        for (std::size_t code = 0; code < c->outcomes.size(); ++code) {
            const auto n = c->outcomes[code].load(std::memory_order_relaxed);
            if (n == 0 && code != 0) {
                continue;  // OK always; an error code once it happened
            }
            metrics::add_value(
                requests,
                {label{"method", c->name},
                 label{"code", std::string(bus::to_string(static_cast<bus::errc>(code)))}},
                static_cast<double>(n));
        }
        metrics::add_histogram(durations, {label{"method", c->name}}, c->duration.snapshot());
    }
    out.push_back(std::move(requests));
    out.push_back(std::move(durations));
    return out;
}

}  // namespace skynet::worker_detail
