// Internal services (8/MMI and ours): answered by the broker itself on the
// client protocol, with status codes "200", "400", "404" and "501".
#include <algorithm>
#include <charconv>

#include "broker_core.hpp"
#include "skynet/bus/bson.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

namespace {
std::string_view first_frame(const mdp::client_message& request) {
    return bus::view_of(request.body[0]);
}
}  // namespace

void broker_core::on_mmi(zmq::message_t& client, mdp::client_message& request, time_point now) {
    const auto name = request.service;
    if (name == "mmi.service") {
        // 8/MMI: 200 if the named service has workers, 404 if not.
        auto it = services_.find(first_frame(request));
        bool served = it != services_.end() && it->second->workers > 0;
        out_.mmi_reply(client, name, {served ? "200" : "404"});
    } else if (name == "mmi.services") {
        std::vector<std::string_view> names;
        for (const auto& [key, svc] : services_) {
            if (svc->workers > 0) {
                names.push_back(key);
            }
        }
        std::sort(names.begin(), names.end());
        bus::frames body;
        body.push_back(bus::frame_of("200"));
        for (auto n : names) {
            body.push_back(bus::frame_of(n));
        }
        out_.mmi_reply_frames(client, name, body);
    } else if (name == "mmi.credit") {
        on_mmi_credit(client, request, now);
    } else if (name == "mmi.pause" || name == "mmi.resume") {
        on_mmi_pause(client, request, name == "mmi.pause", now);
    } else if (name == "mmi.stats") {
        on_mmi_stats(client, request);
    } else {
        out_.mmi_reply(client, name, {"501"});
    }
}

// docs/design.md: a worker connection asks, before READY, for a credit of N
// requests in flight. The grant holds for the READY that follows from the same
// connection; a broker that does not know mmi.credit answers 501 and the
// worker keeps to one request at a time.
void broker_core::on_mmi_credit(zmq::message_t& client, mdp::client_message& request,
                                time_point now) {
    const auto text = first_frame(request);
    std::uint32_t asked = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), asked);
    const auto identity = bus::view_of(client);
    constexpr std::size_t max_pending = 100000;
    if (ec != std::errc{} || end != text.data() + text.size() || asked == 0 ||
        find_worker(identity) != nullptr || pending_credits_.size() >= max_pending) {
        out_.mmi_reply(client, request.service, {"400"});
        return;
    }
    const auto granted = std::min(asked, options_.max_credit);
    // Batch frames too, if it asks and we take them (docs/design.md).
    const bool batching = options_.batching && request.body.size() >= 2 &&
                          bus::view_of(request.body[1]) == bus::batch::credit_feature;
    pending_credits_.insert_or_assign(std::string(identity),
                                      pending_credit{granted, now + expiry_window_, batching});
    auto granted_text = std::to_string(granted);
    if (batching) {
        const auto limit = batch_limit_text();
        out_.mmi_reply(client, request.service,
                       {"200", granted_text, bus::batch::credit_feature, limit});
    } else {
        out_.mmi_reply(client, request.service, {"200", granted_text});
    }
}

// Our workers ask for no new requests while they drain (or are unregistered),
// and for requests again when resumed. What they hold is unaffected.
void broker_core::on_mmi_pause(zmq::message_t& client, mdp::client_message& request, bool pause,
                               time_point now) {
    auto* w = find_worker(bus::view_of(client));
    if (w == nullptr) {
        out_.mmi_reply(client, request.service, {"404"});
        return;
    }
    heard(*w, now);
    w->paused = pause;
    if (pause) {
        make_unready(*w);
    } else {
        if (!serve_queued(*w, now)) {
            return;  // unreachable, and dropped
        }
        make_ready(*w);
    }
    out_.mmi_reply(client, request.service, {"200"});
}

void broker_core::on_mmi_stats(zmq::message_t& client, mdp::client_message& request) {
    const auto s = stats_.snapshot();
    bus::bson_doc doc;
    auto add = [&](std::string_view key, std::uint64_t value) {
        doc.add_int64(key, static_cast<std::int64_t>(value));
    };
    add("requests", s.requests);
    add("dispatched", s.dispatched);
    add("replies", s.replies);
    add("queued", s.queued);
    add("in_flight", s.in_flight);
    add("workers", s.workers);
    add("services", s.services);
    add("malformed", s.malformed);
    add("disconnects", s.disconnects);
    add("overloaded", s.overloaded);
    add("unknown_service", s.unknown_service);
    add("expired", s.expired);
    add("workers_lost", s.workers_lost);
    add("redispatched", s.redispatched);
    add("worker_lost_replies", s.worker_lost_replies);
    add("undeliverable", s.undeliverable);
    add("too_large", s.too_large);
    add("clients", s.clients);
    add("clients_refused", s.clients_refused);
    add("client_requests_refused", s.client_requests_refused);
    add("quiet_workers", s.quiet_workers);
    add("batches_received", s.batches_received);
    add("batches_sent", s.batches_sent);
    bus::frames body;
    body.push_back(bus::frame_of("200"));
    body.push_back(std::move(doc).to_frame());
    out_.mmi_reply_frames(client, request.service, body);
}

}  // namespace skynet::broker_detail
