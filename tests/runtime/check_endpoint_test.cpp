// Endpoints a worker or client is given: the forms ZeroMQ takes pass, the
// rest are named before a background thread would meet them.
#include "skynet/runtime/check_endpoint.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace skynet::runtime {
namespace {

TEST(EndpointCheck, UsableEndpointsPass) {
    for (const char* endpoint : {"tcp://127.0.0.1:5555", "tcp://broker.example:1",
                                 "tcp://[::1]:65535", "ipc:///tmp/b", "inproc://broker"}) {
        EXPECT_EQ(endpoint_problem(endpoint), std::nullopt) << endpoint;
    }
}

TEST(EndpointCheck, MalformedEndpointsAreNamed) {
    for (const char* endpoint :
         {"", "127.0.0.1:5555", "tcp:/127.0.0.1:5555", "nonsense://here", "tcp://", "ipc://",
          "tcp://127.0.0.1", "tcp://:5555", "tcp://127.0.0.1:", "tcp://127.0.0.1:port",
          "tcp://127.0.0.1:0", "tcp://127.0.0.1:65536", "tcp://127.0.0.1:*", "TCP://a:1"}) {
        EXPECT_NE(endpoint_problem(endpoint), std::nullopt) << endpoint;
    }
}

TEST(EndpointCheck, ABindMayLeaveThePortToZeroMq) {
    EXPECT_EQ(endpoint_problem("tcp://127.0.0.1:*", endpoint_use::bind), std::nullopt);
    EXPECT_EQ(endpoint_problem("tcp://*:5555", endpoint_use::bind), std::nullopt);
    EXPECT_NE(endpoint_problem("127.0.0.1:5555", endpoint_use::bind), std::nullopt);
}

TEST(EndpointCheck, CheckThrowsNamingOptionAndValue) {
    try {
        check_endpoint("--broker", "127.0.0.1:5555");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--broker: \"127.0.0.1:5555\" is ", 0), 0u)
            << e.what();
    }
    EXPECT_NO_THROW(check_endpoint("--broker", "tcp://127.0.0.1:5555"));
}

}  // namespace
}  // namespace skynet::runtime
