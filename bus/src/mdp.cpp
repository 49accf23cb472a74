#include "skynet/bus/mdp.hpp"

namespace skynet::bus::mdp {
namespace {

constexpr std::size_t max_service_name = 255;

error malformed(const char* what) {
    return error{errc::bad_request, what};
}

// 7/MDP: service names are printable strings. We also bound their length, so
// that a peer cannot make the broker intern arbitrarily large keys.
bool is_service_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > max_service_name) {
        return false;
    }
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

// Frames 0 and 1: the empty delimiter and the protocol header.
result<std::string_view> protocol_of(std::span<zmq::message_t> frames) noexcept {
    if (frames.size() < 2) {
        return malformed("too few frames for an MDP message");
    }
    if (frames[0].size() != 0) {
        return malformed("first frame is not the empty delimiter");
    }
    auto protocol = view_of(frames[1]);
    if (protocol != client_protocol && protocol != worker_protocol) {
        return malformed("unknown protocol header");
    }
    return protocol;
}

result<client_message> decode_client(std::span<zmq::message_t> frames) noexcept {
    if (frames.size() < 4) {
        return malformed("client message without service or body");
    }
    auto service = view_of(frames[2]);
    if (!is_service_name(service)) {
        return malformed("service name is empty, too long or not printable");
    }
    return client_message{service, frames.subspan(3)};
}

// The command byte of a worker message (frame 2).
result<command> command_of(std::span<zmq::message_t> frames) noexcept {
    if (frames.size() < 3 || frames[2].size() != 1) {
        return malformed("missing or oversized command frame");
    }
    auto byte = *static_cast<const std::uint8_t*>(frames[2].data());
    if (byte < 0x01 || byte > 0x05) {
        return malformed("unknown worker command");
    }
    return static_cast<command>(byte);
}

// REQUEST and REPLY: address, empty delimiter, one body frame or more.
template <class Addressed>
result<Addressed> decode_addressed(std::span<zmq::message_t> frames) noexcept {
    if (frames.size() < 6) {
        return malformed("REQUEST or REPLY without address, delimiter or body");
    }
    if (frames[3].size() == 0) {
        return malformed("empty client address");
    }
    if (frames[4].size() != 0) {
        return malformed("client address not followed by the empty delimiter");
    }
    return Addressed{&frames[3], frames.subspan(5)};
}

result<void> expect_exactly(std::span<zmq::message_t> frames, std::size_t n) noexcept {
    if (frames.size() != n) {
        return malformed("wrong number of frames for this command");
    }
    return {};
}

// READY: exactly one more frame, a service name.
result<ready> decode_ready(std::span<zmq::message_t> frames) noexcept {
    if (auto shape = expect_exactly(frames, 4); !shape) {
        return shape.err();
    }
    auto service = view_of(frames[3]);
    if (!is_service_name(service)) {
        return malformed("service name is empty, too long or not printable");
    }
    return ready{service};
}

// A decoded message as one alternative of `Variant`, or its error.
template <class Variant, class Message>
result<Variant> as(result<Message>&& decoded) noexcept {
    if (!decoded) {
        return std::move(decoded).err();
    }
    return Variant{*decoded};
}

template <class Variant, class Command>
result<Variant> bare_command(std::span<zmq::message_t> frames) noexcept {
    if (auto shape = expect_exactly(frames, 3); !shape) {
        return shape.err();
    }
    return Variant{Command{}};
}

}  // namespace

std::string_view to_string(command c) noexcept {
    switch (c) {
        case command::ready:
            return "READY";
        case command::request:
            return "REQUEST";
        case command::reply:
            return "REPLY";
        case command::heartbeat:
            return "HEARTBEAT";
        case command::disconnect:
            return "DISCONNECT";
    }
    return "UNKNOWN";
}

result<broker_inbound> decode_at_broker(std::span<zmq::message_t> frames) noexcept {
    auto protocol = protocol_of(frames);
    if (!protocol) {
        return protocol.err();
    }
    if (*protocol == client_protocol) {
        return as<broker_inbound>(decode_client(frames));
    }
    auto cmd = command_of(frames);
    if (!cmd) {
        return cmd.err();
    }
    switch (*cmd) {
        case command::ready:
            return as<broker_inbound>(decode_ready(frames));
        case command::reply:
            return as<broker_inbound>(decode_addressed<reply>(frames));
        case command::heartbeat:
            return bare_command<broker_inbound, heartbeat>(frames);
        case command::disconnect:
            return bare_command<broker_inbound, disconnect>(frames);
        case command::request:
            break;
    }
    return malformed("REQUEST is sent by brokers, not to them");
}

result<worker_inbound> decode_at_worker(std::span<zmq::message_t> frames) noexcept {
    auto protocol = protocol_of(frames);
    if (!protocol) {
        return protocol.err();
    }
    if (*protocol == client_protocol) {
        return as<worker_inbound>(decode_client(frames));
    }
    auto cmd = command_of(frames);
    if (!cmd) {
        return cmd.err();
    }
    switch (*cmd) {
        case command::request:
            return as<worker_inbound>(decode_addressed<request>(frames));
        case command::heartbeat:
            return bare_command<worker_inbound, heartbeat>(frames);
        case command::disconnect:
            return bare_command<worker_inbound, disconnect>(frames);
        case command::ready:
        case command::reply:
            break;
    }
    return malformed("READY and REPLY are sent by workers, not to them");
}

result<client_message> decode_at_client(std::span<zmq::message_t> frames) noexcept {
    auto protocol = protocol_of(frames);
    if (!protocol) {
        return protocol.err();
    }
    if (*protocol != client_protocol) {
        return malformed("worker protocol header on a client socket");
    }
    return decode_client(frames);
}

void put_client_header(frames& out, std::string_view service) {
    out.emplace_back();
    out.push_back(frame_of(client_protocol));
    out.push_back(frame_of(service));
}

namespace {
void put_worker_header(frames& out, command c) {
    out.emplace_back();
    out.push_back(frame_of(worker_protocol));
    auto byte = static_cast<std::uint8_t>(c);
    out.emplace_back(&byte, 1);
}

void put_addressed(frames& out, command c, zmq::message_t&& address) {
    put_worker_header(out, c);
    out.push_back(std::move(address));
    out.emplace_back();
}
}  // namespace

void put_ready(frames& out, std::string_view service) {
    put_worker_header(out, command::ready);
    out.push_back(frame_of(service));
}

void put_request_header(frames& out, zmq::message_t&& address) {
    put_addressed(out, command::request, std::move(address));
}

void put_reply_header(frames& out, zmq::message_t&& address) {
    put_addressed(out, command::reply, std::move(address));
}

void put_heartbeat(frames& out) {
    put_worker_header(out, command::heartbeat);
}

void put_disconnect(frames& out) {
    put_worker_header(out, command::disconnect);
}

}  // namespace skynet::bus::mdp
