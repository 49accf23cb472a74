// How a client picks a broker per call (client/src/broker_choice.hpp):
// equal brokers alternate, weights share calls out in proportion, this
// client's own calls outstanding on a broker count against it, and a broker
// that does not take a call passes it on. No broker runs: links are only
// connected, never sent to (`send` below decides).
#include "broker_choice.hpp"

#include <gtest/gtest.h>

#include <array>

#include "skynet/runtime/logging.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using client_detail::broker_choice;
using client_detail::link_set;
using client_detail::pending_call;

struct two_brokers {
    zmq::context_t context;
    link_set links{context, runtime::logger_for("test"), runtime::socket_options{}};
    pending_call call;

    explicit two_brokers(int n = 2) {
        const auto now = bus::clock::now();
        for (int i = 0; i < n; ++i) {
            auto& link = links.add(loopback_endpoint(free_port()), now);
            link.region = "eu";
            link.services = {"echo"};
        }
        call.service = "echo";
    }

    // Which broker each of `n` calls goes to, counted by broker.
    template <class Send>
    std::array<int, 3> spread(broker_choice& choice, int n, Send&& send) {
        std::array<int, 3> taken{};
        for (int k = 0; k < n; ++k) {
            const int i = choice.offer(call, bus::clock::now(), -1, send);
            EXPECT_GE(i, 0);
            if (i >= 0) {
                ++taken[static_cast<std::size_t>(i)];
            }
        }
        return taken;
    }
};

const auto anyone = [](std::size_t) { return true; };

TEST(BrokerChoice, EqualBrokersAlternate) {
    two_brokers t;
    broker_choice fixed(t.links, false, "eu");
    int last = -1;
    for (int k = 0; k < 10; ++k) {
        const int i = fixed.offer(t.call, bus::clock::now(), -1, anyone);
        EXPECT_NE(i, last);
        last = i;
    }
}

TEST(BrokerChoice, WeightsShareCallsOutInProportion) {
    two_brokers t;
    broker_choice discovering(t.links, true, "eu");
    t.links[0].weight = 0.25;  // a busy broker, by its figures
    t.links[1].weight = 1.0;
    const auto taken = t.spread(discovering, 100, anyone);
    EXPECT_EQ(taken[0], 20);
    EXPECT_EQ(taken[1], 80);
}

TEST(BrokerChoice, CallsOutstandingOnABrokerCountAgainstIt) {
    two_brokers t;
    broker_choice fixed(t.links, false, "eu");
    t.links[0].outstanding = 3;  // scores 1/4 against the other's 1
    const auto taken = t.spread(fixed, 100, anyone);
    EXPECT_EQ(taken[0], 20);
    EXPECT_EQ(taken[1], 80);
    // Weight and outstanding together: 1/(1+3) against 0.25/(1+0).
    t.links[1].weight = 0.25;
    const auto even = t.spread(fixed, 100, anyone);
    EXPECT_EQ(even[0], 50);
    EXPECT_EQ(even[1], 50);
}

TEST(BrokerChoice, ABrokerThatDoesNotTakeACallPassesItOn) {
    two_brokers t(3);
    broker_choice fixed(t.links, false, "eu");
    t.links[1].weight = 1000;  // the favourite, but its connection is broken
    const auto taken = t.spread(fixed, 30, [](std::size_t i) { return i != 1; });
    EXPECT_EQ(taken[1], 0);
    EXPECT_EQ(taken[0] + taken[2], 30);
    EXPECT_GE(taken[0], 10);
    EXPECT_GE(taken[2], 10);
}

TEST(BrokerChoice, UsableBrokersComeFirstWhateverTheirWeight) {
    two_brokers t;
    broker_choice discovering(t.links, true, "eu");
    t.links[0].weight = 0.01;
    t.links[1].up = false;  // declared dead: only when nothing else takes it
    const auto taken = t.spread(discovering, 20, anyone);
    EXPECT_EQ(taken[0], 20);
    EXPECT_EQ(taken[1], 0);
}

TEST(BrokerChoice, OutstandingCountsFollowWhereACopyIs) {
    two_brokers t;
    int counted = -1;
    t.links.count(counted, 0);
    EXPECT_EQ(t.links[0].outstanding, 1);
    t.links.count(counted, 1);  // moved
    EXPECT_EQ(t.links[0].outstanding, 0);
    EXPECT_EQ(t.links[1].outstanding, 1);
    t.links.count(counted, 1);  // no change
    EXPECT_EQ(t.links[1].outstanding, 1);
    t.links.count(counted, -1);  // ended
    EXPECT_EQ(t.links[1].outstanding, 0);
    EXPECT_EQ(counted, -1);
}

}  // namespace
}  // namespace skynet::testing
