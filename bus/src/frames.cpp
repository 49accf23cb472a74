#include "skynet/bus/frames.hpp"

#include <algorithm>
#include <cerrno>
#include <zmq_addon.hpp>

namespace skynet::bus {

send_outcome send_frames(zmq::socket_ref socket, frames& message, bool dontwait) {
    const auto last = message.size();
    try {
        for (std::size_t i = 0; i < last; ++i) {
            auto flags = (i + 1 < last) ? zmq::send_flags::sndmore : zmq::send_flags::none;
            if (dontwait) {
                flags = flags | zmq::send_flags::dontwait;
            }
            if (!socket.send(message[i], flags)) {
                // Only the first frame can block: ZeroMQ takes the rest with it.
                message.clear();
                return send_outcome::would_block;
            }
        }
    } catch (const zmq::error_t& e) {
        if (e.num() != EHOSTUNREACH) {
            throw;
        }
        message.clear();
        return send_outcome::unroutable;
    }
    message.clear();
    return send_outcome::sent;
}

bool recv_frames(zmq::socket_ref socket, frames& message) {
    // Frames are received into the message_t objects the last message left
    // behind (ZeroMQ releases what they held): no init, move and close of a
    // temporary per frame, which recv_multipart costs.
    std::size_t count = 0;
    for (;;) {
        if (count == message.size()) {
            message.emplace_back();
        }
        if (!socket.recv(message[count], zmq::recv_flags::dontwait)) {
            // Only the first frame can be missing: ZeroMQ delivers whole messages.
            message.clear();
            return false;
        }
        if (!message[count++].more()) {
            break;
        }
    }
    message.resize(count);
    return true;
}

void poll_until(std::span<zmq_pollitem_t> items, time_point until) {
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - clock::now());
    try {
        zmq::poll(items.data(), items.size(),
                  std::chrono::milliseconds(std::max<std::int64_t>(wait.count(), 0)));
    } catch (const zmq::error_t& e) {
        if (e.num() != EINTR) {
            throw;
        }
    }
}

}  // namespace skynet::bus
