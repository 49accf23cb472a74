// A plain 7/MDP client (its request is not our envelope) is never sent an
// error body it could take for a reply (docs/design.md): what our clients
// get as OVERLOADED, UNKNOWN_SERVICE or WORKER_LOST, it gets as silence,
// and the broker counts it (`plain_refused`).
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST(PlainClient, NeverReceivesABodyItDidNotAskFor) {
    auto options = fast_broker_options();
    options.max_queue = 2;
    options.unknown_service_wait = scaled(300ms);
    running_broker broker(options);
    plain_client caller(broker.context(), broker.endpoint());

    // No worker: two wait and end UNKNOWN_SERVICE, three find the queue full.
    for (int i = 0; i < 5; ++i) {
        send_strings(caller.socket(), {"", "MDPC01", "nobody", "question"});
    }
    ASSERT_TRUE(eventually([&] { return broker.stats().plain_refused == 5; }))
        << broker.stats().plain_refused;
    EXPECT_EQ(broker.stats().overloaded, 3u);
    EXPECT_EQ(broker.stats().unknown_service, 2u);

    // A worker that takes the request and leaves: WORKER_LOST for ours.
    zmq::socket_t fragile(broker.context(), zmq::socket_type::dealer);
    fragile.set(zmq::sockopt::linger, 0);
    fragile.connect(broker.endpoint());
    send_strings(fragile, {"", "MDPW01", "\x01", "fragile"});
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 1; }));
    send_strings(caller.socket(), {"", "MDPC01", "fragile", "question"});
    std::optional<frame_list> request;
    ASSERT_TRUE(eventually([&] {
        request = receive_strings(fragile, 10ms);
        return request && request->size() >= 3 && (*request)[2] == "\x02";
    }));
    send_strings(fragile, {"", "MDPW01", "\x05"});
    ASSERT_TRUE(eventually([&] { return broker.stats().plain_refused == 6; }));
    EXPECT_EQ(broker.stats().worker_lost_replies, 1u);

    // The broker answers in order on one connection: had it sent any of
    // those six an error, that would come before this reply.
    plain_worker echo(broker.context(), broker.endpoint(), "echo");
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 1; }));
    send_strings(caller.socket(), {"", "MDPC01", "echo", "last"});
    auto first = receive_strings(caller.socket(), generous);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, (frame_list{"", "MDPC01", "echo", "plain:last"}));

    // Our own clients keep their coded errors.
    client ours(fast_client_options(broker.endpoint()));
    auto outcome = ours.call("nobody", "Anything", bus::bson_view{});
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.code(), bus::errc::unknown_service);
    EXPECT_EQ(broker.stats().plain_refused, 6u);
}

}  // namespace
}  // namespace skynet::testing
