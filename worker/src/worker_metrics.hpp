#pragma once
// A worker's /metrics (docs/metrics.md): its counter table, and per method
// its outcomes (skynet_worker_requests_total{method,code}) and handling
// times (skynet_worker_request_duration_seconds{method}), built at scrape
// time from the cells its threads write.

#include "method_metrics.hpp"
#include "skynet/metrics/families.hpp"
#include "skynet/worker/worker_stats.hpp"

namespace skynet::worker_detail {

metrics::families worker_families(const worker_stats& stats, const method_metrics& methods);

}  // namespace skynet::worker_detail
