#pragma once
// A plain 7/MDP/0.1 client and worker written from the spec alone, with raw
// ZeroMQ frames and none of our code, to prove that any Majordomo peer works
// with our broker and our peers.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

namespace skynet::testing {

using frame_list = std::vector<std::string>;

// Sends and receives whole multipart messages as strings.
void send_strings(zmq::socket_t& socket, const frame_list& frames);
std::optional<frame_list> receive_strings(zmq::socket_t& socket, std::chrono::milliseconds limit);

// A 7/MDP client on a DEALER socket (so it sends the empty delimiter the REQ
// socket of the spec would add).
class plain_client {
public:
    plain_client(zmq::context_t& context, const std::string& broker);
    // Sends "" MDPC01 service body... and waits for the reply's body frames.
    std::optional<frame_list> request(const std::string& service, const frame_list& body,
                                      std::chrono::milliseconds limit);
    zmq::socket_t& socket() noexcept { return socket_; }

private:
    zmq::socket_t socket_;
};

// A 7/MDP worker on its own thread: READY once, heartbeats, and every request
// answered with "plain:" prepended to its first body frame, the rest echoed.
class plain_worker {
public:
    plain_worker(zmq::context_t& context, std::string broker, std::string service,
                 std::chrono::milliseconds heartbeat = std::chrono::milliseconds(100));
    ~plain_worker();
    int requests() const noexcept { return requests_.load(); }

private:
    void serve(zmq::context_t& context, const std::string& broker, const std::string& service);

    std::chrono::milliseconds heartbeat_;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    std::thread thread_;
};

}  // namespace skynet::testing
