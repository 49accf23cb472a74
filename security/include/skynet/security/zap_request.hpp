#pragma once
// 27/ZAP requests, as libzmq sends them to the handler of its context, and
// the replies to them. The frames come from inside the process, yet they
// carry what a peer on the network chose (its key, its address), so the
// decoder never throws and never trusts a length.

#include <span>
#include <string>
#include <string_view>
#include <zmq.hpp>

#include "skynet/bus/frames.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::security {

// Views into the request's frames: valid while they are.
struct zap_request {
    std::string_view request_id;
    std::string_view domain;
    std::string_view address;    // the peer's IP address
    std::string_view mechanism;  // "NULL", "PLAIN" or "CURVE"
    // CURVE: the client's public key, 32 bytes; other mechanisms: empty.
    std::string_view client_key;
};

// `frames`: what the handler's ROUTER read, less the routing id in front:
// "" · "1.0" · request id · domain · address · identity · mechanism ·
// credentials. An error for anything else: a wrong version, frames missing,
// a CURVE credential that is not one 32-byte key.
bus::result<zap_request> decode_zap_request(std::span<const zmq::message_t> frames) noexcept;

// The reply to `request_id`, without the routing id in front: "" · "1.0" ·
// request id · status code · status text · user id · metadata (empty).
bus::frames encode_zap_reply(std::string_view request_id, std::string_view status_code,
                             std::string_view status_text, std::string_view user_id);

}  // namespace skynet::security
