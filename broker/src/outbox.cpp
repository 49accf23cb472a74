#include "outbox.hpp"

#include <algorithm>

#include "counters.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

void header_edit::apply(std::span<char> header) const noexcept {
    if (deadline != bus::time_point::max()) {
        bus::rpc::rewrite_timeout(header, bus::millis_left(deadline, now));
    }
    if (retry >= 0) {
        bus::rpc::rewrite_retry(header, retry);
    }
}

bool outbox::batched(const peer_batches& batches, std::string_view route,
                     const bus::message_view& body) const noexcept {
    // The same bounds our peers keep to when they batch (docs/design.md): a
    // larger record costs more to copy than the frames it saves.
    return batches.taken && body.batched() && route.size() <= bus::batch::max_route &&
           body.size() <= bus::batch::max_record_frames &&
           body.bytes() < std::min(bus::batch::record_limit, batch_limit_);
}

bool outbox::request(std::string_view worker, const peer_batches& batches, std::string_view token,
                     bus::message_view& body, const header_edit& edit) {
    if (batched(batches, token, body)) {
        auto& out = stage_requests(worker, *batches.stage);
        out.begin(token, static_cast<std::uint8_t>(body.size()));
        edit.apply(out.frame(body[0]));  // the copy in the batch, not the client's bytes
        for (std::size_t i = 1; i < body.size(); ++i) {
            out.frame(body[i]);
        }
        staged(*batches.stage);
        return true;
    }
    out_.push_back(bus::frame_of(worker));
    mdp::put_request_header(out_, bus::frame_of(token));
    put_shared(body, edit);
    return flush();
}

void outbox::put_shared(bus::message_view& body, const header_edit& edit) {
    const auto first = out_.size();
    if (body.batched()) {
        body.take_all(out_);  // a record's frames: copies of their own
    } else {
        auto& header = body.plain_frames()[0];
        if (edit.needed() && header.get(ZMQ_SHARED) != 0) {
            // An earlier send may still read these bytes (a request run
            // again): the edit goes into a copy.
            out_.emplace_back(header.data(), header.size());
        } else {
            out_.emplace_back().copy(header);  // shares the bytes: no copy of the payload
        }
        for (auto& frame : body.plain_frames().subspan(1)) {
            out_.emplace_back().copy(frame);
        }
    }
    if (edit.needed()) {
        auto& header = out_[first];
        edit.apply({header.data<char>(), header.size()});
    }
}

bool outbox::reply(zmq::message_t&& client, const peer_batches& batches, std::string_view service,
                   bus::message_view& body) {
    if (batched(batches, service, body)) {
        stage_replies(bus::view_of(client), *batches.stage).add(service, *body.record());
        staged(*batches.stage);
        return true;
    }
    out_.push_back(std::move(client));
    mdp::put_client_header(out_, service);
    body.take_all(out_);
    return flush();
}

void outbox::refuse(zmq::message_t&& client, std::string_view service,
                    const std::optional<bus::rpc::request_meta>& meta, bus::errc code,
                    std::string_view why) {
    if (!meta) {
        stats_.plain_refused.add();
        return;
    }
    error(std::move(client), service, meta->request_id, code, why);
}

bool outbox::error(zmq::message_t&& client, std::string_view service, std::string_view request_id,
                   bus::errc code, std::string_view detail) {
    out_.push_back(std::move(client));
    mdp::put_client_header(out_, service);
    out_.push_back(bus::rpc::encode_reply_header({request_id, code, detail}));
    out_.push_back(bus::rpc::empty_document_frame());
    return flush();
}

bool outbox::mmi_reply(const zmq::message_t& client, std::string_view service,
                       std::initializer_list<std::string_view> body) {
    out_.emplace_back(client.data(), client.size());
    mdp::put_client_header(out_, service);
    for (auto part : body) {
        out_.push_back(bus::frame_of(part));
    }
    return flush();
}

bool outbox::mmi_reply_frames(const zmq::message_t& client, std::string_view service,
                              std::span<zmq::message_t> body) {
    out_.emplace_back(client.data(), client.size());
    mdp::put_client_header(out_, service);
    for (auto& frame : body) {
        out_.push_back(std::move(frame));
    }
    return flush();
}

bool outbox::command(std::string_view peer, mdp::command c) {
    out_.push_back(bus::frame_of(peer));
    if (c == mdp::command::heartbeat) {
        mdp::put_heartbeat(out_);
    } else {
        mdp::put_disconnect(out_);
    }
    return flush();
}

bool outbox::cancel_notice(std::string_view worker, std::string_view token) {
    out_.push_back(bus::frame_of(worker));
    bus::mmi::put_cancel_notice(out_, token);
    return flush();
}

bool outbox::flush() {
    // Never blocks: a peer that is gone or not reading loses this message
    // (counted), and the broker goes on serving everyone else.
    if (bus::send_frames(router_, out_, true) != bus::send_outcome::sent) {
        stats_.undeliverable.add();
        return false;
    }
    return true;
}

}  // namespace skynet::broker_detail
