#include "skynet/worker/worker_stats.hpp"

#include "skynet/runtime/counter_table.hpp"

namespace skynet {

std::string prometheus_text(const worker_stats& stats) {
    static constexpr auto table = SKYNET_COUNTER_TABLE(worker_stats, SKYNET_WORKER_COUNTERS);
    std::string out;
    runtime::write_prometheus(table, stats, "skynet_worker", out);
    return out;
}

}  // namespace skynet
