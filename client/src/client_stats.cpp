#include "skynet/client/client_stats.hpp"

#include "skynet/runtime/counter_table.hpp"

namespace skynet {

std::string prometheus_text(const client_stats& stats) {
    static constexpr auto table = SKYNET_COUNTER_TABLE(client_stats, SKYNET_CLIENT_COUNTERS);
    std::string out;
    runtime::write_prometheus(table, stats, "skynet_client", out);
    return out;
}

}  // namespace skynet
