#pragma once
// A real broker running on its own thread, on a loopback port of its own.

#include <memory>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "skynet/broker/broker.hpp"

namespace skynet::testing {

// Short heartbeats, so that tests about liveness finish quickly.
broker_options fast_broker_options();

class running_broker {
public:
    explicit running_broker(broker_options options = fast_broker_options());
    ~running_broker();  // stops and joins
    running_broker(const running_broker&) = delete;
    running_broker& operator=(const running_broker&) = delete;

    const std::string& endpoint() const noexcept { return endpoint_; }
    broker_stats stats() const noexcept { return broker_->stats(); }
    zmq::context_t& context() noexcept { return context_; }
    skynet::broker& server() noexcept { return *broker_; }
    // Stops and joins the broker; it drains first.
    void stop();

private:
    zmq::context_t context_{1};
    std::unique_ptr<broker> broker_;
    std::string endpoint_;
    std::thread thread_;
};

}  // namespace skynet::testing
