#include "skynet/broker/broker_stats.hpp"

#include "broker_metrics.hpp"

namespace skynet {

// The counter table's part of /metrics, by the same code and serialiser
// (prometheus-cpp's), so that the two never disagree.
std::string prometheus_text(const broker_stats& stats) {
    broker_detail::broker_snapshot snapshot;
    snapshot.stats = stats;
    return metrics::text_of(broker_detail::broker_families(snapshot, false));
}

}  // namespace skynet
