#include "steady_calls.hpp"

namespace skynet::testing {

steady_calls::steady_calls(client& c, std::chrono::milliseconds timeout)
    : thread_([this, &c, timeout] { run(c, timeout); }) {}

steady_calls::~steady_calls() {
    stop();
}

void steady_calls::stop() {
    stopping_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

void steady_calls::run(client& c, std::chrono::milliseconds timeout) {
    bus::bson_doc params;
    params.add_int64("n", 1);  // no calls of its own: one request per call
    call_options options;
    options.timeout = timeout;
    options.idempotent = true;
    for (int i = 0; i < 100000 && !stopping_; ++i) {
        auto outcome = c.call("fibonacci", "Index", params.view(), options);
        if (outcome && outcome->result().get_int64("result") == 1) {
            ++answered_;
        } else {
            ++failed_;
            last_error_ = static_cast<int>(outcome.code());
        }
    }
}

}  // namespace skynet::testing
