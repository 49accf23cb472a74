// The retry budget is an option, and does what client_options says: with
// every call refused OVERLOADED, the retries made in all are the budget's
// size, however many each call asked for.
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST(RetryBudget, OverloadedCallsRetryAsOftenAsTheBudgetAllowsInAll) {
    auto options = fast_broker_options();
    options.max_client_requests = 1;  // a second request of one client: OVERLOADED
    running_broker broker(options);
    auto client_opts = fast_client_options(broker.endpoint());
    client_opts.retry_budget = 3;
    client_opts.retry_refill = 0;  // nothing succeeds meanwhile anyway
    client c(client_opts);
    held_worker held(broker.endpoint(), "held");
    ASSERT_TRUE(wait_for_service(c, "held"));

    auto holding = c.call_future("held", "Hold", bus::bson_view{}, {.timeout = 60s});
    ASSERT_TRUE(eventually([&] { return held.runs.load() == 1; }));
    const auto before = c.stats();
    int overloaded = 0;
    for (int i = 0; i < 20; ++i) {
        overloaded +=
            c.call("held", "Echo", bus::bson_view{}, {.timeout = 30s, .retries = 5}).code() ==
            errc::overloaded;
    }
    const auto after = c.stats();
    EXPECT_EQ(overloaded, 20);
    EXPECT_EQ(after.attempts - before.attempts, 20u + 3u);
    held.release.open();
    EXPECT_TRUE(holding.get().ok());
}

}  // namespace
}  // namespace skynet::testing
