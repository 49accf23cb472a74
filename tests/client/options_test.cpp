// What the client refuses at construction, naming the option and the value,
// and what a caller holds after a call: values that outlive the reply they
// came from, and a failed call's value() that names its error.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "skynet/runtime/check_endpoint.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// The message of the invalid_argument the constructor throws, or "" if none.
std::string refusal(const client_options& options) {
    try {
        client c(options);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

client_options with_broker(std::string endpoint) {
    client_options options;
    options.brokers = {std::move(endpoint)};
    return options;
}

TEST(ClientOptions, AnEndpointWithoutItsSchemeIsRefusedByName) {
    EXPECT_EQ(refusal(with_broker("127.0.0.1:5555")),
              "client_options.brokers: \"127.0.0.1:5555\" is not an endpoint (expected "
              "tcp://host:port, ipc://path or inproc://name)");
}

TEST(ClientOptions, EveryMalformedEndpointIsRefusedNamingIt) {
    for (const std::string bad : {"127.0.0.1:5555", "tcp://127.0.0.1", "tcp://127.0.0.1:0",
                                  "tcp://127.0.0.1:65536", "tcp://127.0.0.1:55x", "tcp://:5555",
                                  "tcp://127.0.0.1:*", "ipc://", "inproc://", "udp://h:1", ""}) {
        const auto message = refusal(with_broker(bad));
        EXPECT_NE(message.find("client_options.brokers: \"" + bad + "\""), std::string::npos)
            << bad << " gave: " << message;
    }
}

TEST(ClientOptions, GoodEndpointsAreTaken) {
    for (const std::string good : {"tcp://127.0.0.1:5555", "tcp://localhost:1", "tcp://[::1]:65535",
                                   "ipc:///tmp/skynet-test.sock", "inproc://broker"}) {
        EXPECT_EQ(refusal(with_broker(good)), "") << good;
    }
    EXPECT_FALSE(runtime::endpoint_problem("tcp://*:*", runtime::endpoint_use::bind));
    EXPECT_TRUE(runtime::endpoint_problem("tcp://*:*", runtime::endpoint_use::connect));
}

TEST(ClientOptions, OtherBadOptionsAreRefusedByName) {
    struct bad_case {
        const char* option;
        std::function<void(client_options&)> spoil;
    };
    const std::vector<bad_case> cases{
        {"client_options.brokers: (none)", [](auto& o) { o.brokers.clear(); }},
        {"client_options.redis: \"http://x\"",
         [](auto& o) {
             o.brokers.clear();
             o.redis = "http://x";
         }},
        {"client_options.region: \"\"",
         [](auto& o) {
             o.brokers.clear();
             o.redis = "redis://127.0.0.1:1";
             o.region = "";
         }},
        {"client_options.name: \"\"", [](auto& o) { o.name = ""; }},
        {"client_options.heartbeat: 0 ms", [](auto& o) { o.heartbeat = 0ms; }},
        {"client_options.liveness: 0", [](auto& o) { o.liveness = 0; }},
        {"client_options.default_timeout: -1 ms", [](auto& o) { o.default_timeout = -1ms; }},
        {"client_options.retry_budget: -1", [](auto& o) { o.retry_budget = -1; }},
        {"client_options.retry_refill: nan", [](auto& o) { o.retry_refill = std::nan(""); }},
        {"client_options.max_message_size: 0", [](auto& o) { o.max_message_size = 0; }},
    };
    for (const auto& c : cases) {
        auto options = with_broker("tcp://127.0.0.1:5555");
        c.spoil(options);
        const auto message = refusal(options);
        EXPECT_TRUE(message.starts_with(c.option)) << c.option << " gave: " << message;
    }
}

TEST(ClientResults, AResultTakenFromATemporaryReplyOwnsItsDocument) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto w = start_adder(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "adder"));
    bus::bson_doc params;
    params.add_int32("a", 2).add_int32("b", 3);
    call_options options;
    options.timeout = 30s;
    options.version = std::string("");  // owned: a temporary may go at once
    // The reply is gone at the end of the statement; the document is not.
    auto sum = c.call("adder", "Add", params.view(), options).value().result();
    static_assert(std::is_same_v<decltype(sum), bus::bson_doc>);
    EXPECT_EQ(sum.view().get_int64("sum"), 5);
}

TEST(ClientResults, ValueOfAFailedCallThrowsCallErrorNamingTheCode) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto w = start_adder(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "adder"));
    call_options options;
    options.timeout = 30s;
    auto outcome = c.call("adder", "NoSuchMethod", bus::bson_doc{}, options);
    ASSERT_FALSE(outcome);
    try {
        (void)outcome.value();
        FAIL() << "value() of a failed call returned";
    } catch (const call_error& e) {
        EXPECT_EQ(e.code(), errc::unknown_method);
        EXPECT_TRUE(std::string(e.what()).starts_with("UNKNOWN_METHOD")) << e.what();
    }
}

}  // namespace
}  // namespace skynet::testing
