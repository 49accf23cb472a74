// Internal services (8/MMI and ours): answered by the broker itself on the
// client protocol, with status codes "200", "400", "404" and "501".
#include "mmi_responder.hpp"

#include <algorithm>

#include "service_snapshot.hpp"
#include "skynet/bus/bson.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

namespace mmi = bus::mmi;

void mmi_responder::answer(const zmq::message_t& client, const bus::mdp::client_message& request,
                           time_point now) {
    const auto name = request.service;
    if (name == mmi::service) {
        // 8/MMI: 200 if the named service has workers, 404 if not.
        const auto* svc = services_.find(bus::view_of(request.body[0]));
        const bool served = svc != nullptr && svc->workers > 0;
        out_.mmi_reply(client, name, {served ? mmi::code::ok : mmi::code::not_found});
    } else if (name == mmi::services) {
        bus::frames body;
        body.push_back(bus::frame_of(mmi::code::ok));
        for (auto n : services_.served()) {
            body.push_back(bus::frame_of(n));
        }
        out_.mmi_reply_frames(client, name, body);
    } else if (name == mmi::credit) {
        answer_credit(client, request, now);
    } else if (name == mmi::stats) {
        answer_stats(client, name);
    } else if (name == mmi::service_stats) {
        answer_service_stats(client, name);
    } else {
        out_.mmi_reply(client, name, {mmi::code::not_implemented});
    }
}

void mmi_responder::answer_batch_question(const zmq::message_t& client, std::string_view service) {
    if (!options_.batching) {
        out_.mmi_reply(client, service, {mmi::code::not_implemented});
        return;
    }
    bus::frames body;
    mmi::put_batch_grant(body, batch_limit_);
    out_.mmi_reply_frames(client, service, body);
}

// docs/design.md: a worker connection asks, before READY, for a credit of N
// requests in flight. The grant holds for the READY that follows from the same
// connection; a broker that does not know mmi.credit answers 501 and the
// worker keeps to one request at a time. The answer also says how this
// broker runs heartbeats, so that our worker keeps to them (docs/design.md).
void mmi_responder::answer_credit(const zmq::message_t& client,
                                  const bus::mdp::client_message& request, time_point now) {
    auto asked = mmi::decode_credit_request(request.body);
    mmi::credit_grant grant;
    // Batch frames too, if it asks and we take them (docs/design.md).
    const bool batching = asked && options_.batching && asked->batch;
    if (asked) {
        grant.credit = std::min(asked->credit, options_.max_credit);
    }
    if (!asked || !workers_.grant_credit(bus::view_of(client), grant.credit, batching, now)) {
        out_.mmi_reply(client, request.service, {mmi::code::bad_request});
        return;
    }
    grant.batch_limit = batching ? batch_limit_ : 0;
    grant.heartbeat = {options_.heartbeat, static_cast<std::uint32_t>(options_.liveness)};
    bus::frames body;
    mmi::put_credit_grant(body, grant);
    out_.mmi_reply_frames(client, request.service, body);
}

// The document's fields are the counter list's rows, in its order, each an
// int64 (docs/design.md).
void mmi_responder::answer_stats(const zmq::message_t& client, std::string_view service) {
    bus::bson_doc doc;
    runtime::write_bson(counter_table, stats_.snapshot(), doc);
    bus::frames body;
    body.push_back(bus::frame_of(mmi::code::ok));
    body.push_back(std::move(doc).to_frame());
    out_.mmi_reply_frames(client, service, body);
}

// Every service known, with its figures (bus/mmi.hpp): what a dashboard
// shows of this broker. Built from the same cells as /metrics.
void mmi_responder::answer_service_stats(const zmq::message_t& client, std::string_view service) {
    std::vector<mmi::service_figures> figures;
    for (const auto& s : snapshot_services(services_, workers_)) {
        figures.push_back(figures_of(s));
    }
    bus::frames body;
    body.push_back(bus::frame_of(mmi::code::ok));
    body.push_back(mmi::encode_service_figures(figures).to_frame());
    out_.mmi_reply_frames(client, service, body);
}

}  // namespace skynet::broker_detail
