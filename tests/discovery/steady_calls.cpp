#include "steady_calls.hpp"

#include <utility>

namespace skynet::testing {

steady_calls::steady_calls(client& c, std::chrono::milliseconds timeout, bool idempotent, int n)
    : thread_([this, &c, timeout, idempotent, n] { run(c, timeout, idempotent, n); }) {}

steady_calls::~steady_calls() {
    stop();
}

void steady_calls::stop() {
    stopping_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

namespace {

std::int64_t fibonacci(int n) {
    std::int64_t a = 0, b = 1;
    for (int i = 0; i < n; ++i) {
        a = std::exchange(b, a + b);
    }
    return a;
}

}  // namespace

void steady_calls::run(client& c, std::chrono::milliseconds timeout, bool idempotent, int n) {
    bus::bson_doc params;
    params.add_int64("n", n);
    call_options options;
    options.timeout = timeout;
    options.idempotent = idempotent;
    const auto expected = fibonacci(n);
    for (int i = 0; i < 100000 && !stopping_; ++i) {
        auto outcome = c.call("fibonacci", "Index", params.view(), options);
        if (outcome && outcome->result().get_int64("result") == expected) {
            ++answered_;
        } else {
            ++failed_;
            last_error_ = static_cast<int>(outcome.code());
        }
    }
}

}  // namespace skynet::testing
