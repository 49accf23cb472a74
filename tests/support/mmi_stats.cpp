#include "mmi_stats.hpp"

#include "skynet/bus/bson.hpp"
#include "skynet/runtime/counter_table.hpp"

namespace skynet::testing {

std::optional<broker_stats> read_broker_stats(client& c) {
    bus::frames body;
    body.push_back(bus::frame_of(""));  // 7/MDP: a request has a body
    call_options options;
    options.timeout = std::chrono::milliseconds(2000);
    auto outcome = c.call_raw("mmi.stats", std::move(body), options);
    if (!outcome || outcome->frames().size() != 2 || outcome->frames()[0].to_string() != "200") {
        return std::nullopt;
    }
    auto doc = bus::bson_view::from_frame(outcome->frames()[1]);
    if (!doc) {
        return std::nullopt;
    }
    constexpr auto table = SKYNET_COUNTER_TABLE(broker_stats, SKYNET_BROKER_COUNTERS);
    return runtime::read_bson(table, *doc);
}

}  // namespace skynet::testing
