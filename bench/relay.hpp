#pragma once
// The baseline: one ROUTER that moves frames between clients and workers
// without parsing them, and a worker that answers at once. No broker on
// libzmq can beat it, so every figure of ours is a ratio to it.
//
// Frames (after the ROUTER's identity frame):
//   client -> relay: body (first frame not empty)
//   worker -> relay: "" (ready), or "" client-id body (a reply)
//   relay -> worker: "" client-id body;  relay -> client: body
//
// In mdp_frames mode the relay frames messages as a 7/MDP broker does, still
// without reading them, and callers send our envelope's two body frames: the
// floor for what docs/design.md puts on the wire (see docs/performance.md).
//   client -> relay: "" MDPC01 service header params
//   relay -> worker: "" MDPW01 0x02 client-id "" header params
//   worker -> relay: "" (ready), or "" MDPW01 0x03 client-id "" header params
//   relay -> client: "" MDPC01 service header params

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "measure.hpp"

namespace skynet::bench {

enum class relay_mode {
    one_per_connection,             // 7/MDP's rule: a worker connection holds one request
    unlimited,                      // requests go round robin, as many in flight as sent
    mdp_frames,                     // unlimited, with 7/MDP's frames and our envelope's
    mdp_frames_one_per_connection,  // both: what any plain 7/MDP broker must do
};

// Messages framed as a 7/MDP broker frames them, with our envelope inside.
constexpr bool mdp_framed(relay_mode m) noexcept {
    return m == relay_mode::mdp_frames || m == relay_mode::mdp_frames_one_per_connection;
}

constexpr bool one_at_a_time(relay_mode m) noexcept {
    return m == relay_mode::one_per_connection || m == relay_mode::mdp_frames_one_per_connection;
}

class relay {
public:
    relay(zmq::context_t& context, relay_mode mode);
    ~relay();  // stops and joins
    relay(const relay&) = delete;
    relay& operator=(const relay&) = delete;

    std::string endpoint() const { return endpoint_; }
    std::chrono::nanoseconds cpu() const noexcept { return cpu_.now(); }
    std::uint64_t workers() const noexcept { return workers_.load(); }

private:
    void run(zmq::socket_t& router);

    relay_mode mode_;
    std::string endpoint_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> workers_{0};
    zmq::socket_t router_;
    std::thread thread_;
    thread_cpu_clock cpu_;
};

// Worker connections that echo at once, all served by one thread, with a
// context of its own (as its own process would have).
class relay_worker {
public:
    relay_worker(const std::string& endpoint, int connections);
    ~relay_worker();
    relay_worker(const relay_worker&) = delete;
    relay_worker& operator=(const relay_worker&) = delete;

private:
    void run();

    zmq::context_t context_{1};
    std::vector<zmq::socket_t> sockets_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace skynet::bench
