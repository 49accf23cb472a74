#pragma once
// Our side of a run: a broker on a thread of this process (so that its CPU
// time can be read), and echo workers.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "measure.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::bench {

class inproc_broker {
public:
    // Binds tcp://127.0.0.1:* and serves on its own thread.
    explicit inproc_broker(broker_options options = {});
    ~inproc_broker();  // stop(), then join
    inproc_broker(const inproc_broker&) = delete;
    inproc_broker& operator=(const inproc_broker&) = delete;

    std::string endpoint() const { return broker_.endpoint(); }
    std::chrono::nanoseconds cpu() const noexcept { return cpu_.now(); }
    broker_stats stats() const noexcept { return broker_.stats(); }
    std::string metrics_address() const { return broker_.metrics_address(); }

private:
    zmq::context_t context_{1};
    broker broker_;
    std::thread thread_;
    thread_cpu_clock cpu_;
};

struct curve_keys;

struct echo_plan {
    int workers = 1;           // worker objects, each with its own threads
    bool plain = false;        // plain 7/MDP: `credit` connections, one request each
    std::uint32_t credit = 0;  // 0: the worker's default
    // The broker refuses batch frames, so that client and worker send one
    // message per request, as before batches (docs/design.md).
    bool unbatched = false;
    std::chrono::milliseconds heartbeat{2500};  // the broker's, which must match
    // The broker serves /metrics, scraped every second during the run.
    bool metrics = false;
    // Set: the broker, its workers and clients speak CURVE with these keys.
    std::shared_ptr<const curve_keys> curve = {};
};

// Workers whose "echo" answers with its params, on the network thread.
class echo_workers {
public:
    echo_workers(const std::string& endpoint, const std::string& service, const echo_plan& plan);
    ~echo_workers();  // stops every worker and waits for it
    echo_workers(const echo_workers&) = delete;
    echo_workers& operator=(const echo_workers&) = delete;

    // True once every connection has sent READY, false at the deadline.
    bool wait_ready(std::chrono::milliseconds limit) const;

private:
    std::vector<std::unique_ptr<worker>> workers_;
    std::shared_ptr<std::atomic<int>> ready_ = std::make_shared<std::atomic<int>>(0);
    int expected_ = 0;
};

// Waits until `service` answers one echo call through `endpoint`, or the
// deadline passes: a worker's READY may still be on its way.
bool warm_up(const std::string& endpoint, const std::string& service,
             std::chrono::milliseconds limit, const curve_keys* curve = nullptr);

// Polls `done` every few milliseconds until it holds or `limit` passes.
template <class Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace skynet::bench
