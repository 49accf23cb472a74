#pragma once
// Small helpers the bus tests share: worker options with short heartbeats,
// waiting until a broker has workers for a service, and a gate that holds
// handlers until the test lets them go.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "skynet/bus/clock.hpp"
#include "skynet/client/client.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::testing {

worker_options fast_worker_options(const std::string& service, const std::string& broker,
                                   const std::string& version = "");
client_options fast_client_options(const std::string& broker);

// A worker of service "adder" whose "Add" {a, b} answers {sum}: the known
// good request tests send to see that a broker still serves.
std::unique_ptr<worker> start_adder(const std::string& broker);
// True if "adder" answers 2 + 3 = 5 within 5 s.
bool adder_works(client& c);

// Asks the broker's mmi.service, as any MDP client would: "200", "404" or "501".
std::string mmi_service(client& c, const std::string& service);
// True once the broker has a worker for `service` (waits generously).
bool wait_for_service(client& c, const std::string& service);
// True once the broker has no worker for `service` any more.
bool wait_for_no_service(client& c, const std::string& service);

// Handlers wait on it until open() or their request's deadline.
class gate {
public:
    void open();
    // False if the deadline came first.
    bool wait(bus::time_point deadline);
    int waiting() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable opened_;
    bool open_ = false;
    int waiting_ = 0;
};

// A worker of `service` for outcome tests, one request at a time: "Hold"
// counts its runs and waits on `release` (until its deadline + 5 s), "Echo"
// answers its params, "Fail" throws, "Refuse" answers UNAUTHORIZED.
struct held_worker {
    held_worker(const std::string& broker, const std::string& service);
    ~held_worker();  // opens the gate, so that the worker can stop
    gate release;
    std::atomic<int> runs{0};
    std::unique_ptr<worker> w;
};

}  // namespace skynet::testing
