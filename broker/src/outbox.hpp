#pragma once
// Everything the broker sends, built in one reused frame vector so that a
// message costs no allocation of ours.

#include <initializer_list>
#include <memory>
#include <span>
#include <spdlog/logger.h>
#include <string_view>

#include "skynet/broker/broker.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"

namespace skynet::broker_detail {

struct counters;

class outbox {
public:
    outbox(zmq::socket_ref router, counters& stats) : router_(router), stats_(stats) {}

    // REQUEST to a worker; the body frames are moved out of `body`.
    bool request(std::string_view worker, zmq::message_t&& token, std::span<zmq::message_t> body);
    // REPLY to a client; the body frames are moved out of `body`.
    bool reply(zmq::message_t&& client, std::string_view service, std::span<zmq::message_t> body);
    // An error reply in our envelope: header {request_id, code, error} and an
    // empty result, so that our clients see a coded error. request_id is
    // empty when the request was not one of ours.
    bool error(zmq::message_t&& client, std::string_view service, std::string_view request_id,
               bus::errc code, std::string_view detail);
    // An mmi.* answer: one frame per string.
    bool mmi_reply(const zmq::message_t& client, std::string_view service,
                   std::initializer_list<std::string_view> body);
    bool mmi_reply_frames(const zmq::message_t& client, std::string_view service,
                          std::span<zmq::message_t> body);
    bool command(std::string_view peer, bus::mdp::command c);

private:
    bool flush();

    zmq::socket_ref router_;
    counters& stats_;
    bus::frames out_;
};

}  // namespace skynet::broker_detail
