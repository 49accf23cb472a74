// The composite example: fibonacci through the bus, and a deadline that ends
// the whole tree of nested calls.
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<child_process> start_fibonacci(const std::string& endpoint) {
    return std::make_unique<child_process>(
        "fibonacci-service", std::vector<std::string>{"--broker", endpoint, "--heartbeat-ms", "100",
                                                      "--log-level", "warn"});
}

TEST(Fibonacci, TheClientPrintsFib20ThroughABroker) {
    auto endpoint = loopback_endpoint(free_port());
    child_process broker("skynet-broker", {"--bind", endpoint, "--log-level", "warn"});
    auto service = start_fibonacci(endpoint);
    {
        client c(fast_client_options(endpoint));
        ASSERT_TRUE(wait_for_service(c, "fibonacci"));
    }
    auto run = run_program("fibonacci-client",
                           {"--broker", endpoint, "--n", "20", "--timeout-ms", "60000"});
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "fibonacci(20) = 6765\n");
}

TEST(Fibonacci, SmallValuesAndBadInput) {
    running_broker broker;
    auto service = start_fibonacci(broker.endpoint());
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "fibonacci"));
    const std::int64_t expected[] = {0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55};
    for (std::int64_t n = 0; n <= 10; ++n) {
        bus::bson_doc params;
        params.add_int64("n", n);
        auto outcome = c.call("fibonacci", "Index", params.view());
        ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_int64("result"), expected[n]) << n;
    }
    bus::bson_doc negative;
    negative.add_int64("n", -1);
    EXPECT_EQ(c.call("fibonacci", "Index", negative.view()).code(), bus::errc::bad_request);
    EXPECT_EQ(c.call("fibonacci", "Index", bus::bson_view{}).code(), bus::errc::bad_request);
}

TEST(Fibonacci, ATooShortDeadlineEndsTheWholeTree) {
    running_broker broker;
    auto service = start_fibonacci(broker.endpoint());
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "fibonacci"));

    bus::bson_doc params;
    params.add_int64("n", 20);
    call_options options;
    options.timeout = 30ms;  // fib(20) needs ~21,900 nested calls
    auto outcome = c.call("fibonacci", "Index", params.view(), options);
    EXPECT_EQ(outcome.code(), bus::errc::timeout);

    // Every nested call inherited the caller's deadline: once it has passed,
    // the broker holds no request of the tree, queued or in flight...
    ASSERT_TRUE(eventually([&] {
        auto s = broker.stats();
        return s.in_flight == 0 && s.queued == 0;
    }));
    // ...and the service is idle: the next call is the only one dispatched.
    auto before = broker.stats().dispatched;
    params = bus::bson_doc{};
    params.add_int64("n", 1);
    ASSERT_TRUE(c.call("fibonacci", "Index", params.view()).ok());
    EXPECT_EQ(broker.stats().dispatched, before + 1);
}

}  // namespace
}  // namespace skynet::testing
