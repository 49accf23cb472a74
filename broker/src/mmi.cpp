// Internal services (8/MMI and ours): answered by the broker itself on the
// client protocol, with status codes "200", "400", "404" and "501".
#include "skynet/bus/mmi.hpp"

#include <algorithm>

#include "broker_core.hpp"
#include "skynet/bus/bson.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;
namespace mmi = bus::mmi;

namespace {
std::string_view first_frame(const mdp::client_message& request) {
    return bus::view_of(request.body[0]);
}
}  // namespace

void broker_core::on_mmi(zmq::message_t& client, mdp::client_message& request, time_point now) {
    const auto name = request.service;
    if (name == mmi::service) {
        // 8/MMI: 200 if the named service has workers, 404 if not.
        auto it = services_.find(first_frame(request));
        bool served = it != services_.end() && it->second->workers > 0;
        out_.mmi_reply(client, name, {served ? mmi::code::ok : mmi::code::not_found});
    } else if (name == mmi::services) {
        std::vector<std::string_view> names;
        for (const auto& [key, svc] : services_) {
            if (svc->workers > 0) {
                names.push_back(key);
            }
        }
        std::sort(names.begin(), names.end());
        bus::frames body;
        body.push_back(bus::frame_of(mmi::code::ok));
        for (auto n : names) {
            body.push_back(bus::frame_of(n));
        }
        out_.mmi_reply_frames(client, name, body);
    } else if (name == mmi::credit) {
        on_mmi_credit(client, request, now);
    } else if (name == mmi::pause || name == mmi::resume) {
        on_mmi_pause(client, request, name == mmi::pause, now);
    } else if (name == mmi::stats) {
        on_mmi_stats(client, request);
    } else {
        out_.mmi_reply(client, name, {mmi::code::not_implemented});
    }
}

// docs/design.md: a worker connection asks, before READY, for a credit of N
// requests in flight. The grant holds for the READY that follows from the same
// connection; a broker that does not know mmi.credit answers 501 and the
// worker keeps to one request at a time. The answer also says how this
// broker runs heartbeats, so that our worker keeps to them (docs/design.md).
void broker_core::on_mmi_credit(zmq::message_t& client, mdp::client_message& request,
                                time_point now) {
    auto asked = mmi::decode_credit_request(request.body);
    const auto identity = bus::view_of(client);
    constexpr std::size_t max_pending = 100000;
    if (!asked || find_worker(identity) != nullptr || pending_credits_.size() >= max_pending) {
        out_.mmi_reply(client, request.service, {mmi::code::bad_request});
        return;
    }
    mmi::credit_grant grant;
    grant.credit = std::min(asked->credit, options_.max_credit);
    // Batch frames too, if it asks and we take them (docs/design.md).
    const bool batching = options_.batching && asked->batch;
    grant.batch_limit = batching ? batch_limit_ : 0;
    grant.heartbeat = {options_.heartbeat, static_cast<std::uint32_t>(options_.liveness)};
    pending_credits_.insert_or_assign(std::string(identity),
                                      pending_credit{grant.credit, now + expiry_window_, batching});
    bus::frames body;
    mmi::put_credit_grant(body, grant);
    out_.mmi_reply_frames(client, request.service, body);
}

// Our workers ask for no new requests while they drain (or are unregistered),
// and for requests again when resumed. What they hold is unaffected.
void broker_core::on_mmi_pause(zmq::message_t& client, mdp::client_message& request, bool pause,
                               time_point now) {
    auto* w = find_worker(bus::view_of(client));
    if (w == nullptr) {
        out_.mmi_reply(client, request.service, {mmi::code::not_found});
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
    out_.mmi_reply(client, request.service, {mmi::code::ok});
}

// The document's fields are the counter list's rows, in its order, each an
// int64 (docs/design.md).
void broker_core::on_mmi_stats(zmq::message_t& client, mdp::client_message& request) {
    bus::bson_doc doc;
    runtime::write_bson(counter_table, stats_.snapshot(), doc);
    bus::frames body;
    body.push_back(bus::frame_of(mmi::code::ok));
    body.push_back(std::move(doc).to_frame());
    out_.mmi_reply_frames(client, request.service, body);
}

}  // namespace skynet::broker_detail
