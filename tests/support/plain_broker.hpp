#pragma once
// A minimal 7/MDP/0.1 broker written from the spec alone (no code of ours),
// on its own thread: the "other" broker that our client, our worker and
// skynet-bench must work with unchanged.
//
// What the spec asks and nothing more: READY puts a worker on its service's
// waiting list; a client REQUEST goes to the first waiting worker (or waits
// in a queue); REPLY goes back to the client and the worker waits again;
// HEARTBEAT every interval to every worker. Service names match exactly
// (no "name@version" of ours). mmi.* as the reference Majordomo broker
// (zguide's mdbroker) answers it: the status replaces the request's LAST
// body frame, the others come back as they were; mmi.service reads the name
// from that last frame and says 200/404, any other mmi.* 501. One request
// per worker at a time. Workers are not expired: tests that use it are short.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <zmq.hpp>

namespace skynet::testing {

class plain_broker {
public:
    explicit plain_broker(std::chrono::milliseconds heartbeat = std::chrono::milliseconds(250));
    ~plain_broker();
    const std::string& endpoint() const noexcept { return endpoint_; }
    int requests() const noexcept { return requests_.load(); }
    // Workers that sent READY for exactly `service`, from any thread.
    int workers(const std::string& service) const;

private:
    void serve();

    std::chrono::milliseconds heartbeat_;
    zmq::context_t context_{1};
    zmq::socket_t router_;
    std::string endpoint_;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    mutable std::mutex mutex_;
    std::map<std::string, int> workers_;  // by service; guarded by mutex_
    std::thread thread_;
};

}  // namespace skynet::testing
