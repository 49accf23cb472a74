// SIGTERM to a registered broker (issue: graceful shutdown): it leaves the
// registry's list of live brokers at once, so that clients move to another
// broker while it drains; what it holds is still answered; its record goes
// when it does. Calls that reach it meanwhile are answered UNAVAILABLE and
// moved by the client to another broker, even those not idempotent: they
// never ran.
#include <gtest/gtest.h>

#include <csignal>

#include "fixture.hpp"
#include "skynet/client/client.hpp"
#include "support/eventually.hpp"
#include "support/sleeper_calls.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

bool serves_sleeper(registry_cluster& cluster, const std::string& endpoint) {
    auto b = cluster.broker_at(endpoint);
    return b && std::find(b->services.begin(), b->services.end(), "sleeper") != b->services.end();
}

call_result sleep_for(client& c, std::int64_t ms) {
    return call_sleeper(c, ms, 20s);
}

TEST(GracefulStop, AStoppingBrokerHandsItsClientsToAnotherAndAnswersWhatItHolds) {
    registry_cluster cluster;
    // It drains for as long as the request it holds runs (below).
    const auto leaving = cluster.start_broker("eu", {"--drain-ms", "30000"});
    const auto staying = cluster.start_broker("eu");
    cluster.start_service("sleeper-service", "eu", {"--concurrency", "4"});
    ASSERT_TRUE(eventually(
        [&] { return serves_sleeper(cluster, leaving) && serves_sleeper(cluster, staying); }));
    const auto pid = cluster.broker_at(leaving)->pid;

    // A request the leaving broker holds while it is told to stop: long
    // enough that it still drains while the calls below are made, even on a
    // machine busy enough to take seconds over them.
    client_options direct_options;
    direct_options.brokers = {leaving};
    client direct(direct_options);
    auto held = hold_sleeper_call(direct, 6000, 20s);
    client_options discovering_options;
    discovering_options.redis = cluster.url();
    discovering_options.region = "eu";
    client discovering(discovering_options);
    ASSERT_TRUE(sleep_for(discovering, 0).ok());
    ASSERT_EQ(::kill(pid, SIGTERM), 0);

    // Off the list while it still drains.
    EXPECT_TRUE(eventually([&] {
        auto b = cluster.broker_at(leaving);
        return b && !b->registered;
    }));
    // Not idempotent, no retries: each must find the broker that stays.
    auto all_answered = [](client& c) {
        int answered = 0;
        for (int i = 0; i < 10; ++i) {
            auto outcome = sleep_for(c, 0);
            EXPECT_TRUE(outcome.ok())
                << bus::to_string(outcome.code()) << ": " << outcome.err().detail;
            answered += outcome.ok() ? 1 : 0;
        }
        return answered;
    };
    // Given both brokers, a client sends some calls to the leaving one (round
    // robin), which answers UNAVAILABLE while it drains: they move.
    client_options both_options;
    both_options.brokers = {leaving, staying};
    client both(both_options);
    EXPECT_EQ(all_answered(both), 10);
    EXPECT_GT(both.stats().attempts, both.stats().calls);
    EXPECT_EQ(all_answered(discovering), 10);
    auto outcome = held.get();
    EXPECT_TRUE(outcome.ok()) << bus::to_string(outcome.code()) << ": " << outcome.err().detail;
    EXPECT_TRUE(eventually([&] { return !cluster.broker_at(leaving); }));
}

}  // namespace
}  // namespace skynet::testing
