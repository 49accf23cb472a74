#pragma once
// 7/MDP/0.1 (Majordomo) messages: decoding with a clear error for every
// malformed shape, and encoding into reusable frame vectors.
//
// Decoders take the frames a peer sent (a ROUTER's identity frame already
// removed) and return views into them: a decoded message dies with its frames.
// They never throw: these bytes come from the network.

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "skynet/bus/frames.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus::mdp {

inline constexpr std::string_view client_protocol = "MDPC01";
inline constexpr std::string_view worker_protocol = "MDPW01";

enum class command : std::uint8_t {
    ready = 0x01,
    request = 0x02,
    reply = 0x03,
    heartbeat = 0x04,
    disconnect = 0x05,
};

std::string_view to_string(command c) noexcept;

// A client REQUEST as the broker receives it, or a client REPLY as a client
// receives it: the same shape in both directions.
struct client_message {
    std::string_view service;
    std::span<zmq::message_t> body;  // one frame or more
};

// Worker commands. `address` is the one client address frame of REQUEST and
// REPLY; the worker returns it untouched.
struct ready {
    std::string_view service;
};
struct request {
    zmq::message_t* address;
    std::span<zmq::message_t> body;
};
struct reply {
    zmq::message_t* address;
    std::span<zmq::message_t> body;
};
struct heartbeat {};
struct disconnect {};

// What a broker can receive from a peer: a client request or a worker command.
using broker_inbound = std::variant<client_message, ready, reply, heartbeat, disconnect>;
// What a worker can receive from its broker. A client_message here answers an
// mmi.* request the worker made on its own socket (credit negotiation).
using worker_inbound = std::variant<request, heartbeat, disconnect, client_message>;

result<broker_inbound> decode_at_broker(std::span<zmq::message_t> frames) noexcept;
result<worker_inbound> decode_at_worker(std::span<zmq::message_t> frames) noexcept;
result<client_message> decode_at_client(std::span<zmq::message_t> frames) noexcept;

// Encoders append the protocol frames of one message to `out`; the caller
// appends the body frames (moved, never copied) and sends. A broker pushes the
// peer's identity frame first.
void put_client_header(frames& out, std::string_view service);  // REQUEST and REPLY
void put_ready(frames& out, std::string_view service);
void put_request_header(frames& out, zmq::message_t&& address);
void put_reply_header(frames& out, zmq::message_t&& address);
void put_heartbeat(frames& out);
void put_disconnect(frames& out);

}  // namespace skynet::bus::mdp
