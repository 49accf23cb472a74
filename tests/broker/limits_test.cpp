// Limits instead of exhaustion (docs/design.md): a request too large, a client
// with too many requests in the broker, and too many clients each get a
// coded error and a counter, and nothing else is disturbed.
#include <gtest/gtest.h>

#include <future>
#include <string>

#include "skynet/bus/bson.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

bus::bson_doc blob_of(std::size_t size) {
    bus::bson_doc doc;
    doc.add_string("blob", std::string(size, 'x'));
    return doc;
}

TEST(Limits, ARequestOverTheBrokersMessageSizeIsABadRequest) {
    auto options = fast_broker_options();
    options.max_message_size = 4096;
    running_broker broker(options);
    client c(fast_client_options(broker.endpoint()));
    held_worker served(broker.endpoint(), "echo");
    ASSERT_TRUE(wait_for_service(c, "echo"));

    const auto big = blob_of(8192);
    auto outcome = c.call("echo", "Echo", big.view());
    EXPECT_EQ(outcome.code(), bus::errc::bad_request);
    EXPECT_EQ(broker.stats().too_large, 1u);
    // A request within the limit still goes through.
    const auto small = blob_of(1000);
    EXPECT_TRUE(c.call("echo", "Echo", small.view()).ok());
}

TEST(Limits, ARequestOverTheClientsMessageSizeNeverLeavesIt) {
    running_broker broker;
    auto options = fast_client_options(broker.endpoint());
    options.max_message_size = 1024;
    client c(options);
    const auto before = broker.stats().requests;
    const auto big = blob_of(4096);
    auto outcome = c.call("echo", "Echo", big.view());
    EXPECT_EQ(outcome.code(), bus::errc::bad_request);
    EXPECT_EQ(broker.stats().requests, before);
}

TEST(Limits, AClientWithTooManyRequestsInTheBrokerIsOverloaded) {
    auto options = fast_broker_options();
    options.max_client_requests = 2;
    running_broker broker(options);
    client greedy(fast_client_options(broker.endpoint()));
    client other(fast_client_options(broker.endpoint()));
    held_worker held(broker.endpoint(), "held");
    ASSERT_TRUE(wait_for_service(greedy, "held"));

    // One held by the worker, one queued behind it: the client's two.
    auto first = greedy.call_future("held", "Hold", bus::bson_view{});
    auto second = greedy.call_future("held", "Hold", bus::bson_view{});
    ASSERT_TRUE(eventually([&] { return broker.stats().queued == 1; }));
    auto third = greedy.call("held", "Hold", bus::bson_view{});
    EXPECT_EQ(third.code(), bus::errc::overloaded);
    EXPECT_EQ(broker.stats().client_requests_refused, 1u);

    // The bound is per client: another client is still served.
    auto echoed = other.call_future("held", "Echo", bus::bson_view{});
    held.release.open();
    EXPECT_TRUE(first.get().ok());
    EXPECT_TRUE(second.get().ok());
    EXPECT_TRUE(echoed.get().ok());
    // Answered requests gave their shares back.
    EXPECT_TRUE(greedy.call("held", "Echo", bus::bson_view{}).ok());
}

TEST(Limits, PastTheMostClientsANewOneIsOverloadedUntilOneIsDone) {
    auto options = fast_broker_options();
    options.max_clients = 1;
    running_broker broker(options);
    client first(fast_client_options(broker.endpoint()));
    client second(fast_client_options(broker.endpoint()));
    held_worker held(broker.endpoint(), "held");
    ASSERT_TRUE(wait_for_service(first, "held"));  // mmi.* is not counted

    auto holding = first.call_future("held", "Hold", bus::bson_view{});
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 1; }));
    EXPECT_EQ(second.call("held", "Echo", bus::bson_view{}).code(), bus::errc::overloaded);
    EXPECT_EQ(broker.stats().clients_refused, 1u);

    held.release.open();
    EXPECT_TRUE(holding.get().ok());
    // The first client has nothing in the broker now: its place is free.
    EXPECT_TRUE(second.call("held", "Echo", bus::bson_view{}).ok());
}

TEST(Limits, EveryWayOutOfTheBrokerGivesTheClientsShareBack) {
    auto options = fast_broker_options();
    options.max_client_requests = 1;
    options.unknown_service_wait = 50ms;
    running_broker broker(options);
    client c(fast_client_options(broker.endpoint()));
    // Refused for want of a worker, then expired in the queue: if either kept
    // its share, the next call would be OVERLOADED.
    EXPECT_EQ(c.call("ghost", "Any", bus::bson_view{}).code(), bus::errc::unknown_service);
    EXPECT_EQ(c.call("ghost", "Any", bus::bson_view{}).code(), bus::errc::unknown_service);
    call_options brief;
    brief.timeout = scaled(300ms);
    held_worker held(broker.endpoint(), "held");
    ASSERT_TRUE(wait_for_service(c, "held"));
    // Timed out at the client while its worker still holds it; then answered.
    auto timing_out = c.call_future("held", "Hold", bus::bson_view{}, brief);
    ASSERT_TRUE(eventually([&] { return held.release.waiting() == 1; }));
    EXPECT_EQ(timing_out.get().code(), bus::errc::timeout);
    held.release.open();
    EXPECT_TRUE(eventually([&] { return broker.stats().in_flight == 0; }));
    EXPECT_TRUE(c.call("held", "Echo", bus::bson_view{}).ok());
    EXPECT_EQ(broker.stats().client_requests_refused, 0u);
    EXPECT_TRUE(eventually([&] { return broker.stats().clients == 0; }));
}

}  // namespace
}  // namespace skynet::testing
