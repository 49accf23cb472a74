#pragma once
// The broker's /metrics (docs/metrics.md): every row of its counter table,
// and per service its outcomes, dispatch-to-reply durations, queue and
// workers, built at scrape time from a snapshot taken on the broker's
// thread. A service the broker forgot is not in the snapshot, so its series
// are gone from the next scrape.

#include "service_snapshot.hpp"
#include "skynet/metrics/families.hpp"

namespace skynet::broker_detail {

// `services` false: the counter table only (the broker is not running).
metrics::families broker_families(const broker_snapshot& snapshot, bool services);

}  // namespace skynet::broker_detail
