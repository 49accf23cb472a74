#pragma once
// The broker's live counters, one cell per row of SKYNET_BROKER_COUNTERS:
// written by the broker's thread only, read by any (broker::stats).

#include "skynet/broker/broker_stats.hpp"
#include "skynet/runtime/counter_table.hpp"

namespace skynet::broker_detail {

struct counters {
    SKYNET_BROKER_COUNTERS(SKYNET_COUNTER_CELL)

    broker_stats snapshot() const noexcept {
        broker_stats s;
        SKYNET_BROKER_COUNTERS(SKYNET_COUNTER_COPY)
        return s;
    }
};

// mmi.stats and the Prometheus text, in the list's order.
inline constexpr auto counter_table = SKYNET_COUNTER_TABLE(broker_stats, SKYNET_BROKER_COUNTERS);

}  // namespace skynet::broker_detail
