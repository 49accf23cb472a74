#pragma once
// A steady stream of fibonacci calls on a thread of its own, one at a time,
// counting what came back right: the load a discovery test keeps up while it
// changes the cluster under it.

#include <atomic>
#include <thread>

#include "skynet/client/client.hpp"

namespace skynet::testing {

class steady_calls {
public:
    // Starts calling fibonacci(n) through `c` at once, each call with
    // `timeout` (and idempotent or not), until stop() or 100,000 calls. A
    // call answered with anything but fibonacci(n) counts as failed. n = 1:
    // no calls of the service's own, one request per call.
    steady_calls(client& c, std::chrono::milliseconds timeout, bool idempotent = true, int n = 1);
    ~steady_calls();  // stops
    steady_calls(const steady_calls&) = delete;
    steady_calls& operator=(const steady_calls&) = delete;

    void stop();
    int answered() const noexcept { return answered_.load(); }
    int failed() const noexcept { return failed_.load(); }
    // The code of the last failure, for a test's message.
    int last_error() const noexcept { return last_error_.load(); }

private:
    void run(client& c, std::chrono::milliseconds timeout, bool idempotent, int n);

    std::atomic<bool> stopping_{false};
    std::atomic<int> answered_{0};
    std::atomic<int> failed_{0};
    std::atomic<int> last_error_{0};
    std::thread thread_;  // last: starts once the counters exist
};

}  // namespace skynet::testing
