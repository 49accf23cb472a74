#pragma once
// What the cancellation and metadata tests share: a real broker, a worker
// of ours, and a client, in this process, on loopback.

#include <atomic>
#include <future>
#include <memory>
#include <string>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {

// One outcome of an async call, kept for the test to look at.
struct outcome_box {
    std::promise<call_result> promise;
    std::future<call_result> future = promise.get_future();
    std::atomic<int> calls{0};

    call_callback callback() {
        return [this](call_result r) {
            if (calls.fetch_add(1) == 0) {
                promise.set_value(std::move(r));
            }
        };
    }
    // The outcome, or nullopt if none came within the generous deadline.
    std::optional<call_result> wait() {
        if (future.wait_for(generous) != std::future_status::ready) {
            return std::nullopt;
        }
        return future.get();
    }
};

inline client_options cancel_client_options(const std::string& broker, bool batching) {
    auto options = fast_client_options(broker);
    options.batching = batching;
    return options;
}

inline worker_options cancel_worker_options(const std::string& service, const std::string& broker,
                                            bool batching) {
    auto options = fast_worker_options(service, broker);
    options.batching = batching;
    return options;
}

}  // namespace skynet::testing
