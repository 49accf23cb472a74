// Hedged calls (the original Skynet's Send): an idempotent call with no
// reply after hedge_after sends a second copy, to another worker or broker;
// the first reply wins and the later one is dropped. send_once (no hedge, or
// a call not idempotent) never sends a second copy.
#include <gtest/gtest.h>

#include <atomic>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// A worker of "lookup" that either answers at once or, stuck, holds every
// request until the test ends (a worker on a sick machine).
struct lookup_worker {
    lookup_worker(const std::string& broker, bool stuck) {
        w = std::make_unique<worker>(fast_worker_options("lookup", broker));
        w->handle("Get", [this, stuck](const request& req) {
            ++runs;
            if (stuck) {
                release.wait(req.deadline() + 5s);
            }
            bus::bson_doc result;
            result.add_bool("stuck", stuck);
            return result;
        });
        w->start();
    }
    ~lookup_worker() { release.open(); }
    gate release;
    std::atomic<int> runs{0};
    std::unique_ptr<worker> w;
};

call_options hedged(std::chrono::milliseconds timeout) {
    call_options options;
    options.idempotent = true;
    options.hedge_after = 50ms;
    options.timeout = timeout;
    return options;
}

// One broker and two workers of "lookup", the stuck one ready first, so that
// least-recently-used dispatch gives it the first request.
class HedgingOneBroker : public ::testing::Test {
protected:
    void SetUp() override {
        stuck_ = std::make_unique<lookup_worker>(broker.endpoint(), true);
        ASSERT_TRUE(wait_for_service(c, "lookup"));
        healthy_ = std::make_unique<lookup_worker>(broker.endpoint(), false);
        ASSERT_TRUE(eventually([&] { return broker.stats().workers == 2; }));
    }

    running_broker broker;
    client c{fast_client_options(broker.endpoint())};
    std::unique_ptr<lookup_worker> stuck_, healthy_;
};

TEST_F(HedgingOneBroker, AStuckWorkerIsOutrunByACopyToAnother) {
    auto& stuck = *stuck_;
    auto& healthy = *healthy_;

    // Least recently used: the stuck worker, ready first, gets the first copy.
    const auto before = c.stats();
    auto outcome = c.call("lookup", "Get", bus::bson_view{}, hedged(10s));
    ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
    EXPECT_FALSE(outcome->result().get_bool("stuck").value_or(true));
    EXPECT_EQ(c.stats().hedges, 1u);
    EXPECT_EQ(stuck.runs, 1);
    EXPECT_EQ(healthy.runs, 1);

    // The stuck worker's late reply is dropped, not delivered twice.
    stuck.release.open();
    EXPECT_TRUE(eventually([&] { return c.stats().late_replies == 1; }));
    EXPECT_EQ(c.stats().replies, before.replies + 1);
}

TEST(Hedging, TheCopyGoesToAnotherBroker) {
    running_broker sick;
    running_broker well;
    auto options = fast_client_options(sick.endpoint());
    options.brokers.push_back(well.endpoint());
    client c(options);
    lookup_worker stuck(sick.endpoint(), true);
    lookup_worker healthy(well.endpoint(), false);
    ASSERT_TRUE(eventually([&] { return sick.stats().workers == 1 && well.stats().workers == 1; }));

    // Round robin sends some first copies to the sick broker; within a 5 s
    // timeout they are answered only through their copy to the other.
    for (int i = 0; i < 4; ++i) {
        auto outcome = c.call("lookup", "Get", bus::bson_view{}, hedged(5s));
        ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
    }
    EXPECT_GE(c.stats().hedges, 1u);
    EXPECT_EQ(stuck.runs, 1);  // it holds one; the broker keeps the rest queued
    EXPECT_EQ(healthy.runs, 4);
}

TEST_F(HedgingOneBroker, SendOnceAndCallsNotIdempotentNeverSendASecondCopy) {
    auto& stuck = *stuck_;

    const auto before = c.stats();
    auto not_idempotent = hedged(300ms);
    not_idempotent.idempotent = false;
    EXPECT_EQ(c.call("lookup", "Get", bus::bson_view{}, not_idempotent).code(), bus::errc::timeout);
    auto once = hedged(10s);
    once.hedge_after = 0ms;
    stuck.release.open();  // the stuck worker is busy until its first request's deadline
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(c.call("lookup", "Get", bus::bson_view{}, once).ok());
    }
    EXPECT_EQ(c.stats().hedges, 0u);
    EXPECT_EQ(c.stats().attempts, before.attempts + 5);
}

}  // namespace
}  // namespace skynet::testing
