#include "mmi_stats.hpp"

#include "skynet/bus/bson.hpp"

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
    auto get = [&](std::string_view key) {
        return static_cast<std::uint64_t>(doc->get_int64(key).value_or(0));
    };
    broker_stats s;
    s.requests = get("requests");
    s.dispatched = get("dispatched");
    s.replies = get("replies");
    s.queued = get("queued");
    s.in_flight = get("in_flight");
    s.workers = get("workers");
    s.services = get("services");
    s.clients = get("clients");
    s.malformed = get("malformed");
    s.disconnects = get("disconnects");
    s.overloaded = get("overloaded");
    s.unknown_service = get("unknown_service");
    s.expired = get("expired");
    s.workers_lost = get("workers_lost");
    s.redispatched = get("redispatched");
    s.worker_lost_replies = get("worker_lost_replies");
    s.undeliverable = get("undeliverable");
    s.too_large = get("too_large");
    s.clients_refused = get("clients_refused");
    s.client_requests_refused = get("client_requests_refused");
    s.quiet_workers = get("quiet_workers");
    s.batches_received = get("batches_received");
    s.batches_sent = get("batches_sent");
    s.plain_refused = get("plain_refused");
    return s;
}

}  // namespace skynet::testing
