// A worker's options are checked in its constructor: a misuse throws
// std::invalid_argument naming the option and the value, before any thread
// or socket exists to fail later where nobody can catch it.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::testing {
namespace {

worker_options valid() {
    worker_options o;
    o.service = "checked";
    o.brokers = {"tcp://127.0.0.1:5555"};
    return o;
}

// The what() of the invalid_argument the constructor throws, or "" if none.
std::string refusal(const worker_options& o) {
    try {
        worker w(o);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

bool names(const std::string& message, const std::string& option, const std::string& value) {
    return message.find(option) != std::string::npos && message.find(value) != std::string::npos;
}

TEST(WorkerValidation, AnEndpointWithoutItsTransportIsRefusedByName) {
    auto o = valid();
    o.brokers = {"tcp://127.0.0.1:5555", "127.0.0.1:5555"};
    const auto message = refusal(o);
    EXPECT_TRUE(names(message, "brokers", "\"127.0.0.1:5555\"")) << message;
}

TEST(WorkerValidation, MalformedEndpointsAreRefused) {
    for (const char* endpoint :
         {"", "tcp://", "tcp://127.0.0.1", "tcp://127.0.0.1:0", "tcp://127.0.0.1:65536",
          "tcp://:5555", "tcp://127.0.0.1:55x", "udp://127.0.0.1:5555", "ipc://", "inproc://"}) {
        auto o = valid();
        o.brokers = {endpoint};
        const auto message = refusal(o);
        const auto quoted = std::string(1, '"').append(endpoint).append(1, '"');
        EXPECT_TRUE(names(message, "brokers", quoted)) << endpoint << ": " << message;
    }
}

TEST(WorkerValidation, UsableEndpointsAreTaken) {
    for (const char* endpoint : {"tcp://127.0.0.1:5555", "tcp://localhost:1", "tcp://[::1]:65535",
                                 "ipc:///tmp/skynet-test", "inproc://broker"}) {
        auto o = valid();
        o.brokers = {endpoint};
        EXPECT_EQ(refusal(o), "") << endpoint;
    }
}

TEST(WorkerValidation, EachBadOptionIsNamedWithItsValue) {
    struct bad_case {
        const char* option;
        const char* value;
        void (*spoil)(worker_options&);
    };
    const bad_case cases[] = {
        {"service", "\"\"", [](worker_options& o) { o.service = ""; }},
        {"service", "\"a@b\"", [](worker_options& o) { o.service = "a@b"; }},
        {"service", "\"mmi.x\"", [](worker_options& o) { o.service = "mmi.x"; }},
        {"redis", "\"http://127.0.0.1\"", [](worker_options& o) { o.redis = "http://127.0.0.1"; }},
        {"concurrency", "0", [](worker_options& o) { o.concurrency = 0; }},
        {"concurrency", "100000", [](worker_options& o) { o.concurrency = 100000; }},
        {"credit", "4000000000", [](worker_options& o) { o.credit = 4000000000u; }},
        {"liveness", "0", [](worker_options& o) { o.liveness = 0; }},
        {"heartbeat", "0ms", [](worker_options& o) { o.heartbeat = std::chrono::milliseconds(0); }},
        {"reconnect_max", "50ms",
         [](worker_options& o) { o.reconnect_max = std::chrono::milliseconds(50); }},
        {"lease", "10ms", [](worker_options& o) { o.lease = std::chrono::milliseconds(10); }},
    };
    for (const auto& c : cases) {
        auto o = valid();
        c.spoil(o);
        const auto message = refusal(o);
        EXPECT_TRUE(names(message, c.option, c.value)) << c.option << ": " << message;
    }
}

TEST(WorkerValidation, NoBrokerAndNoRegistryIsRefused) {
    auto o = valid();
    o.brokers.clear();
    EXPECT_TRUE(names(refusal(o), "brokers", "redis"));
}

TEST(EndpointCheck, TheMessageNamesTheOptionAndTheValue) {
    try {
        runtime::check_endpoint("--broker", "localhost:5555");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_TRUE(names(e.what(), "--broker", "\"localhost:5555\"")) << e.what();
        EXPECT_NE(std::string(e.what()).find("tcp://"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace skynet::testing
