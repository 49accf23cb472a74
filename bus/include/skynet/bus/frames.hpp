#pragma once
// Multipart messages as vectors of ZeroMQ frames, and sending them.

#include <span>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/clock.hpp"

namespace skynet::bus {

// One multipart message. Loops keep one and clear() it between messages, so
// that its capacity is reused and nothing is allocated per message.
using frames = std::vector<zmq::message_t>;

// A frame holding a copy of `bytes` (ZeroMQ keeps up to 33 bytes inline).
inline zmq::message_t frame_of(std::string_view bytes) {
    return zmq::message_t(bytes.data(), bytes.size());
}

inline std::string_view view_of(const zmq::message_t& frame) noexcept {
    return std::string_view(static_cast<const char*>(frame.data()), frame.size());
}

// The bytes of every frame together, as message size limits count them.
inline std::size_t total_size(std::span<const zmq::message_t> message) noexcept {
    std::size_t total = 0;
    for (const auto& frame : message) {
        total += frame.size();
    }
    return total;
}

enum class send_outcome {
    sent,
    would_block,  // the peer's queue is full (high-water mark): nothing was sent
    unroutable,   // a ROUTER_MANDATORY socket has no peer with that identity
};

// Sends every frame of `message` as one multipart message and clears it.
// ZeroMQ delivers all frames or none, so the outcome is decided by the first.
// Throws zmq::error_t for anything but a full queue or an unknown peer
// (a closed socket or context is a programming error here).
send_outcome send_frames(zmq::socket_ref socket, frames& message, bool dontwait = true);

// Receives one whole multipart message into `message`, replacing what it held.
// Returns false if none is waiting.
bool recv_frames(zmq::socket_ref socket, frames& message);

// zmq::poll until something is ready or `until` (whole milliseconds, at
// least 0) passes; a signal only cuts the wait short. The loops of broker,
// worker and client all wait this way.
void poll_until(std::span<zmq_pollitem_t> items, time_point until);

}  // namespace skynet::bus
