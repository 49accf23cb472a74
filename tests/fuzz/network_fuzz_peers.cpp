#include "network_fuzz_peers.hpp"

namespace skynet::testing {

namespace {

// How long one send may wait for room before the broker counts as stalled.
constexpr std::chrono::milliseconds send_limit{5000};
constexpr std::chrono::milliseconds send_slice{100};
// Sends between two reads of every socket.
constexpr std::size_t drain_every = 64;

}  // namespace

fuzz_peers::fuzz_peers(const std::string& endpoint, std::size_t sockets) {
    for (std::size_t i = 0; i < sockets; ++i) {
        auto& s = sockets_.emplace_back(context_, zmq::socket_type::dealer);
        s.set(zmq::sockopt::linger, 0);
        s.set(zmq::sockopt::sndtimeo, static_cast<int>(send_slice.count()));
        s.connect(endpoint);
    }
}

bool fuzz_peers::send(const fuzz_message& message) {
    if (++sent_ % drain_every == 0) {
        for (std::size_t i = 0; i < sockets_.size(); ++i) {
            drain(i, {});
        }
    }
    auto& socket = sockets_[message.socket % sockets_.size()];
    const auto& frames = message.frames;
    // ZeroMQ checks the high-water mark on a message's first frame only: once
    // it is taken, so are the rest.
    for (auto waited = std::chrono::milliseconds(0);; waited += send_slice) {
        auto more = frames.size() > 1 ? zmq::send_flags::sndmore : zmq::send_flags::none;
        if (socket.send(zmq::buffer(frames[0]), more)) {
            break;
        }
        if (waited >= send_limit) {
            return false;
        }
        drain(message.socket % sockets_.size(), {});
    }
    for (std::size_t i = 1; i < frames.size(); ++i) {
        auto more = i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none;
        (void)socket.send(zmq::buffer(frames[i]), more);
    }
    for (const auto& f : frames) {
        bytes_sent_ += f.size();
    }
    return true;
}

bool fuzz_peers::drain(std::size_t index, const std::string& marker) {
    auto& socket = sockets_[index];
    bool found = false;
    zmq::message_t frame;
    // Bounded: a broker cannot make us read forever.
    for (int messages = 0; messages < 100000; ++messages) {
        if (!socket.recv(frame, zmq::recv_flags::dontwait)) {
            break;
        }
        ++received_;
        // Our answers look like "" MDPC01 <marker> ...: the third frame names it.
        for (int part = 1; socket.get(zmq::sockopt::rcvmore); ++part) {
            (void)socket.recv(frame);
            if (part == 2 && !marker.empty() && frame.to_string_view() == marker) {
                found = true;
            }
        }
    }
    return found;
}

bool fuzz_peers::sync(int round, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::vector<std::string> markers;
    for (std::size_t i = 0; i < sockets_.size(); ++i) {
        markers.push_back("mmi.fz-sync-" + std::to_string(round) + "-" + std::to_string(i));
        send({i, {"", "MDPC01", markers.back(), "sync"}});
    }
    std::vector<bool> answered(sockets_.size(), false);
    std::size_t missing = sockets_.size();
    while (missing > 0 && std::chrono::steady_clock::now() < deadline) {
        std::vector<zmq::pollitem_t> items;
        for (auto& s : sockets_) {
            items.push_back({s.handle(), 0, ZMQ_POLLIN, 0});
        }
        zmq::poll(items.data(), items.size(), std::chrono::milliseconds(50));
        for (std::size_t i = 0; i < sockets_.size(); ++i) {
            if (drain(i, markers[i]) && !answered[i]) {
                answered[i] = true;
                --missing;
            }
        }
    }
    return missing == 0;
}

void fuzz_peers::close() {
    for (auto& s : sockets_) {
        s.close();
    }
}

}  // namespace skynet::testing
