#include "skynet/bus/frames.hpp"

#include <zmq_addon.hpp>

#include <algorithm>
#include <cerrno>

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
    message.clear();
    auto parts = zmq::recv_multipart(socket, std::back_inserter(message), zmq::recv_flags::dontwait);
    return parts.has_value();
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
