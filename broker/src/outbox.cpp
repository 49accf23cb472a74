#include "outbox.hpp"

#include "counters.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

bool outbox::request(std::string_view worker, zmq::message_t&& token,
                     std::span<zmq::message_t> body) {
    out_.push_back(bus::frame_of(worker));
    mdp::put_request_header(out_, std::move(token));
    for (auto& frame : body) {
        out_.push_back(std::move(frame));
    }
    return flush();
}

bool outbox::reply(zmq::message_t&& client, std::string_view service,
                   std::span<zmq::message_t> body) {
    out_.push_back(std::move(client));
    mdp::put_client_header(out_, service);
    for (auto& frame : body) {
        out_.push_back(std::move(frame));
    }
    return flush();
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
