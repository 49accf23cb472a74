#include "mmi_stats.hpp"

#include "skynet/bus/bson.hpp"

namespace skynet::testing {

std::optional<stats_figures> read_stats(client& c) {
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
    auto get = [&](std::string_view key) {
        return static_cast<std::uint64_t>(doc->get_int64(key).value_or(0));
    };
    stats_figures s;
    s.malformed = get("malformed");
    s.disconnects = get("disconnects");
    s.unknown_service = get("unknown_service");
    s.workers_lost = get("workers_lost");
    s.queued = get("queued");
    s.in_flight = get("in_flight");
    s.workers = get("workers");
    return s;
}

}  // namespace skynet::testing
