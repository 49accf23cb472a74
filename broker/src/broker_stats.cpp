#include "skynet/broker/broker_stats.hpp"

#include "counters.hpp"

namespace skynet {

std::string prometheus_text(const broker_stats& stats) {
    std::string out;
    runtime::write_prometheus(broker_detail::counter_table, stats, "skynet_broker", out);
    return out;
}

}  // namespace skynet
