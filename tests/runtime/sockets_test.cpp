// The socket factory sets what each role asks for, and nothing it did not
// ask for, before the socket binds or connects.
#include "skynet/runtime/sockets.hpp"

#include <gtest/gtest.h>

namespace {

using skynet::runtime::bind_router;
using skynet::runtime::connect_dealer;
using skynet::runtime::socket_options;

TEST(SocketFactoryTest, DealerTakesOurDefaults) {
    zmq::context_t context(1);
    auto dealer = connect_dealer(context, "tcp://127.0.0.1:1", {});
    EXPECT_EQ(dealer.get(zmq::sockopt::type), ZMQ_DEALER);
    EXPECT_EQ(dealer.get(zmq::sockopt::sndhwm), 100'000);
    EXPECT_EQ(dealer.get(zmq::sockopt::rcvhwm), 100'000);
    EXPECT_EQ(dealer.get(zmq::sockopt::linger), 0);
    EXPECT_EQ(dealer.get(zmq::sockopt::immediate), 0);
    EXPECT_EQ(dealer.get(zmq::sockopt::maxmsgsize), -1);
}

TEST(SocketFactoryTest, DealerTakesWhatItAsksFor) {
    zmq::context_t context(1);
    socket_options options;
    options.immediate = true;
    options.routing_id = "worker-1/0/1";
    options.high_water_mark = 7;
    auto dealer = connect_dealer(context, "tcp://127.0.0.1:1", options);
    EXPECT_EQ(dealer.get(zmq::sockopt::immediate), 1);
    EXPECT_EQ(dealer.get(zmq::sockopt::routing_id), "worker-1/0/1");
    EXPECT_EQ(dealer.get(zmq::sockopt::sndhwm), 7);
    EXPECT_EQ(dealer.get(zmq::sockopt::rcvhwm), 7);
}

TEST(SocketFactoryTest, RouterIsBoundWithItsLimits) {
    zmq::context_t context(1);
    socket_options options;
    options.router_mandatory = true;
    options.max_frame_size = 4096;
    options.linger = std::chrono::milliseconds(1000);
    auto router = bind_router(context, "tcp://127.0.0.1:*", options);
    EXPECT_EQ(router.get(zmq::sockopt::type), ZMQ_ROUTER);
    EXPECT_EQ(router.get(zmq::sockopt::maxmsgsize), 4096);
    EXPECT_EQ(router.get(zmq::sockopt::linger), 1000);
    EXPECT_TRUE(router.get(zmq::sockopt::last_endpoint).starts_with("tcp://127.0.0.1:"));
}

TEST(SocketFactoryTest, RouterAndDealerTalk) {
    zmq::context_t context(1);
    auto router = bind_router(context, "tcp://127.0.0.1:*", {});
    router.set(zmq::sockopt::rcvtimeo, 15000);  // a failure ends the test, not hangs it
    socket_options named;
    named.routing_id = "peer";
    auto dealer = connect_dealer(context, router.get(zmq::sockopt::last_endpoint), named);
    dealer.send(zmq::str_buffer("hello"), zmq::send_flags::none);
    zmq::message_t identity;
    zmq::message_t body;
    ASSERT_TRUE(router.recv(identity));
    ASSERT_TRUE(router.recv(body));
    EXPECT_EQ(identity.to_string(), "peer");
    EXPECT_EQ(body.to_string(), "hello");
}

TEST(SocketFactoryTest, BadEndpointThrows) {
    zmq::context_t context(1);
    EXPECT_THROW(connect_dealer(context, "127.0.0.1:5555", {}), zmq::error_t);
    EXPECT_THROW(bind_router(context, "nowhere", {}), zmq::error_t);
}

}  // namespace
