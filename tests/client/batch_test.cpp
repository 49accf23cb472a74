// Our client and batch frames (docs/design.md): with a broker that takes
// them, calls and replies travel many to a frame; with one that does not,
// one message per call, as before; and a broker replaced on the same
// endpoint is asked again.
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// `count` calls at once; the number answered with their own params.
int echo_many(client& c, int count) {
    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < count; ++i) {
        bus::bson_doc params;
        params.add_int64("i", i);
        call_options options;
        options.idempotent = true;
        options.retries = 3;
        calls.push_back(c.call_future("echo", "Echo", params.view(), options));
    }
    int right = 0;
    for (int i = 0; i < count; ++i) {
        auto outcome = calls[static_cast<std::size_t>(i)].get();
        right += outcome.ok() && outcome->result().get_int64("i") == i;
    }
    return right;
}

TEST(ClientBatches, CallsAndRepliesShareFramesThroughOurBroker) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto echo = start_echo_worker(broker.endpoint(), "echo", 64);
    ASSERT_TRUE(wait_for_service(c, "echo"));
    // Once the broker has answered the client's question, calls go in batches.
    ASSERT_TRUE(eventually([&] {
        echo_many(c, 1);
        return broker.stats().batches_received > 0;
    }));
    const auto before = broker.stats();
    EXPECT_EQ(echo_many(c, 500), 500);
    const auto after = broker.stats();
    EXPECT_EQ(after.replies - before.replies, 500u);
    // Fewer frames than calls each way: that is the point of them.
    EXPECT_LT(after.batches_received - before.batches_received, 500u);
    EXPECT_GT(after.batches_sent - before.batches_sent, 0u);
}

TEST(ClientBatches, ABrokerWithoutBatchesGetsOneMessagePerCall) {
    auto options = fast_broker_options();
    options.batching = false;
    running_broker broker(options);
    client c(fast_client_options(broker.endpoint()));
    auto echo = start_echo_worker(broker.endpoint(), "echo", 64);
    ASSERT_TRUE(wait_for_service(c, "echo"));
    EXPECT_EQ(echo_many(c, 200), 200);
    EXPECT_EQ(broker.stats().batches_received, 0u);
    EXPECT_EQ(broker.stats().batches_sent, 0u);
}

// A broker that takes batches is replaced on the same endpoint by one that
// does not: the client asks again on the new connection, and every call
// still gets its answer.
TEST(ClientBatches, ANewBrokerOnTheSameEndpointIsAskedAgain) {
    auto options = fast_broker_options();
    options.bind = loopback_endpoint(free_port());
    auto first = std::make_unique<running_broker>(options);
    client c(fast_client_options(first->endpoint()));
    {
        auto echo = start_echo_worker(first->endpoint(), "echo", 64);
        ASSERT_TRUE(wait_for_service(c, "echo"));
        ASSERT_TRUE(eventually([&] {
            echo_many(c, 1);
            return first->stats().batches_received > 0;
        }));
    }
    first.reset();

    options.batching = false;
    running_broker second(options);
    auto echo = start_echo_worker(second.endpoint(), "echo", 64);
    ASSERT_TRUE(wait_for_service(c, "echo"));
    EXPECT_EQ(echo_many(c, 200), 200);
    EXPECT_EQ(second.stats().batches_received, 0u);
    EXPECT_EQ(second.stats().malformed, 0u);
}

// The client learns of a broken connection from ZeroMQ's monitor at once,
// long before its heartbeats could tell: a call held by a broker whose
// socket closed ends in WORKER_LOST. (Found broken: the monitor's fd never
// woke the client until its pipe had been read once.)
TEST(ClientBatches, ABrokenConnectionIsNoticedBeforeHeartbeatsCouldTell) {
    zmq::context_t context(1);
    auto router = std::make_unique<zmq::socket_t>(context, zmq::socket_type::router);
    router->set(zmq::sockopt::linger, 0);
    router->bind("tcp://127.0.0.1:*");
    auto options = fast_client_options(router->get(zmq::sockopt::last_endpoint));
    options.heartbeat = 10s;  // silence would take 30 s to count
    client c(options);
    std::atomic<bool> ended{false};
    std::atomic<bus::errc> code{bus::errc::ok};
    call_options call;
    call.timeout = 20s;
    c.call_async("held", "Hold", bus::bson_view{}, call, [&](call_result r) {
        code = r.code();
        ended = true;
    });
    // The request reaches the "broker" (after the client's batch question).
    ASSERT_TRUE(eventually([&] {
        auto m = receive_strings(*router, 10ms);
        return m && m->size() >= 4 && (*m)[3] == "held";
    }));
    router.reset();  // the connection breaks; nothing more is said
    ASSERT_TRUE(eventually([&] { return ended.load(); }, 5s));
    EXPECT_EQ(code.load(), bus::errc::worker_lost);
    EXPECT_GE(c.stats().brokers_lost, 1u);
}

}  // namespace
}  // namespace skynet::testing
