// SIGTERM to a registered broker (issue: graceful shutdown): it leaves the
// registry's list of live brokers at once, so that clients move to another
// broker while it drains; what it holds is still answered; its record goes
// when it does. Calls that reach it meanwhile are answered UNAVAILABLE and
// moved by the client to another broker, even those not idempotent: they
// never ran.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "fixture.hpp"
#include "skynet/client/client.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"
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

// A client that reads its reply late (starved of CPU, or paused) still gets
// it when the broker stops meanwhile: after its drain the broker serves on
// for --farewell-ms before it closes, and a DEALER with ZMQ_IMMEDIATE (as our
// client's) drops the replies it has not read once the connection closes.
// Here a raw 7/MDP client has its reply waiting, unread, while the broker is
// told to stop, and reads it half a second later. With the farewell it had
// before (min(heartbeat, 200 ms)) the reply was lost.
TEST(GracefulStop, AReplyReadLateWhileTheBrokerStopsIsNotLost) {
    registry_cluster cluster;
    const auto endpoint = cluster.start_broker("eu", {"--farewell-ms", "5000"});
    ASSERT_TRUE(eventually([&] { return cluster.broker_at(endpoint).has_value(); }));
    const auto pid = static_cast<pid_t>(cluster.broker_at(endpoint)->pid);
    ASSERT_GT(pid, 1);
    zmq::context_t context(1);
    zmq::socket_t dealer(context, ZMQ_DEALER);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::immediate, 1);
    dealer.connect(endpoint);
    // Writable once connected (ZMQ_IMMEDIATE); mmi.service: the broker's own
    // answer, a reply like any other.
    zmq::pollitem_t connected{dealer.handle(), 0, ZMQ_POLLOUT, 0};
    ASSERT_EQ(zmq::poll(&connected, 1, std::chrono::milliseconds(20000)), 1) << "not connected";
    send_strings(dealer, {"", "MDPC01", "mmi.service", "nothing"});
    zmq::pollitem_t arrived{dealer.handle(), 0, ZMQ_POLLIN, 0};
    ASSERT_EQ(zmq::poll(&arrived, 1, std::chrono::milliseconds(20000)), 1) << "no reply";
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    EXPECT_TRUE(eventually([&] {
        auto b = cluster.broker_at(endpoint);
        return !b || !b->registered;
    })) << "the broker did not start to stop";
    // The fault: the client does not read for half a second.
    std::this_thread::sleep_for(500ms);
    const auto reply = receive_strings(dealer, 1s);
    ASSERT_TRUE(reply.has_value()) << "the unread reply was lost when the broker closed";
    EXPECT_EQ(*reply, (frame_list{"", "MDPC01", "mmi.service", "404"}));
    EXPECT_TRUE(eventually([&] { return !cluster.broker_at(endpoint); }, 30s))
        << "the broker did not leave after its farewell";
}

}  // namespace
}  // namespace skynet::testing
