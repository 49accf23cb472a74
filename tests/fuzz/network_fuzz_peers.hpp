#pragma once
// The fuzzing side of the network fuzz test: several DEALER sockets on one
// thread that send fuzz messages to a broker, read (and drop) whatever it
// answers so that nothing piles up in its queues, and can tell when the
// broker has processed everything they sent.

#include <chrono>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "network_fuzz_messages.hpp"

namespace skynet::testing {

class fuzz_peers {
public:
    // Connects `sockets` DEALERs to `endpoint` (loopback only).
    fuzz_peers(const std::string& endpoint, std::size_t sockets);
    fuzz_peers(const fuzz_peers&) = delete;
    fuzz_peers& operator=(const fuzz_peers&) = delete;

    // Sends one message, reading answers while the socket's queue is full.
    // False if the broker took nothing for several seconds (it stalled).
    bool send(const fuzz_message& message);

    // Sends an mmi request of a name of its own on every socket and waits for
    // each answer: ZeroMQ keeps one connection's messages in order, so once
    // they are back the broker has read everything sent before. False if
    // `limit` passed first.
    bool sync(int round, std::chrono::milliseconds limit);

    // Messages received from the broker, and bytes sent to it, so far.
    std::size_t received() const noexcept { return received_; }
    std::size_t bytes_sent() const noexcept { return bytes_sent_; }

    // Closes every socket (without waiting to send what is queued).
    void close();

private:
    // Reads everything waiting on socket `index`; true if it held the
    // answer to `marker` (empty: no marker expected).
    bool drain(std::size_t index, const std::string& marker);

    zmq::context_t context_{1};
    std::vector<zmq::socket_t> sockets_;
    std::size_t sent_ = 0;
    std::size_t received_ = 0;
    std::size_t bytes_sent_ = 0;
};

}  // namespace skynet::testing
