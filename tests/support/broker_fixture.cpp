#include "broker_fixture.hpp"

#include "eventually.hpp"

namespace skynet::testing {

broker_options fast_broker_options() {
    broker_options options;
    options.bind = "tcp://127.0.0.1:*";
    options.heartbeat = scaled(std::chrono::milliseconds(100));
    options.liveness = 3;
    options.drain_timeout = scaled(std::chrono::milliseconds(500));
    // Stops are many here; the tests of a late reader set their own.
    options.farewell = scaled(std::chrono::milliseconds(100));
    return options;
}

running_broker::running_broker(broker_options options)
    : broker_(std::make_unique<broker>(std::move(options), context_)),
      endpoint_(broker_->endpoint()),
      thread_([this] { broker_->run(); }) {}

running_broker::~running_broker() {
    stop();
}

void running_broker::stop() {
    if (thread_.joinable()) {
        broker_->stop();
        thread_.join();
    }
}

}  // namespace skynet::testing
