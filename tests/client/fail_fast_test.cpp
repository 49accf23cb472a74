// Failing fast (gRPC's default): a call that no broker can take ends at
// once, UNAVAILABLE when every broker is lost, UNKNOWN_SERVICE when the
// registry knows no broker that serves it; not at its deadline. With
// wait_for_ready it waits for a broker instead, within its deadline.
#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "skynet/broker/registration.hpp"
#include "skynet/registry/connection.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// The bound the issue gives: long before the calls' 30 s deadline.
constexpr auto well_before = 5s;

call_options long_deadline() {
    call_options options;
    options.timeout = 30s;
    return options;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(FailFast, EveryBrokerDownEndsUnavailableLongBeforeTheDeadline) {
    const auto endpoint = loopback_endpoint(free_port());  // nothing listens there
    client_options options;
    options.brokers = {endpoint};
    client c(options);  // default heartbeat and liveness: 3 s of silence
    const auto start = bus::clock::now();
    auto first = c.call("greeter", "Hello", bus::bson_doc{}, long_deadline());
    ASSERT_EQ(first.code(), errc::unavailable);
    EXPECT_TRUE(contains(first.err().detail, "'greeter'")) << first.err().detail;
    EXPECT_TRUE(contains(first.err().detail, endpoint)) << first.err().detail;
    // Once the client knows the broker lost, every call ends so.
    int unavailable = 0;
    for (int i = 0; i < 20; ++i) {
        unavailable += c.call("greeter", "Hello", bus::bson_doc{}, long_deadline()).code() ==
                       errc::unavailable;
    }
    EXPECT_EQ(unavailable, 20);
    EXPECT_LT(bus::clock::now() - start, well_before);
}

TEST(FailFast, WaitForReadyWaitsForABrokerThatComesUp) {
    const int port = free_port();
    client_options options;
    options.brokers = {loopback_endpoint(port)};
    options.heartbeat = 200ms;
    client c(options);
    // Lost first: without waiting, a call ends at once.
    ASSERT_EQ(c.call("adder", "Add", bus::bson_doc{}, long_deadline()).code(), errc::unavailable);

    auto waiting = long_deadline();
    waiting.wait_for_ready = true;
    bus::bson_doc params;
    params.add_int64("a", 2).add_int64("b", 3);
    auto outcome = c.call_future("adder", "Add", params.view(), waiting);

    auto broker_options = fast_broker_options();
    broker_options.bind = loopback_endpoint(port);
    running_broker broker(broker_options);
    auto w = start_adder(broker.endpoint());
    ASSERT_EQ(outcome.wait_for(60s), std::future_status::ready);
    auto r = outcome.get();
    ASSERT_TRUE(r) << r.err().detail;
    EXPECT_EQ(r->result().get_int64("sum"), 5);
}

// A broker embedded here, registered in the registry at `redis`.
class registered_broker {
public:
    explicit registered_broker(const std::string& redis)
        : options_(fast_broker_options()), registration_({.redis = redis}, options_) {
        broker_.emplace(options_, context_);
        registration_.start(*broker_);
        thread_ = std::thread([this] { broker_->run(); });
    }
    ~registered_broker() {
        broker_->stop();
        thread_.join();
    }
    registered_broker(const registered_broker&) = delete;
    registered_broker& operator=(const registered_broker&) = delete;
    std::string endpoint() const { return broker_->endpoint(); }

private:
    zmq::context_t context_{1};
    broker_options options_;
    std::optional<broker> broker_;  // declared first: it outlives its registration
    broker_registration registration_;
    std::thread thread_;
};

bool broker_serves(const std::string& redis, const std::string& service) {
    auto registry = registry::connection::open(*registry::options_from_url(redis));
    if (!registry) {
        return false;
    }
    auto found = registry->find({.kind = registry::instance_kind::broker});
    if (!found) {
        return false;
    }
    for (const auto& b : *found) {
        if (std::find(b.services.begin(), b.services.end(), service) != b.services.end()) {
            return true;
        }
    }
    return false;
}

TEST(FailFast, AServiceNoBrokerServesEndsUnknownServiceAndWorksOnceServed) {
    redis_server redis;
    registered_broker broker(redis.url());
    auto adder = start_adder(broker.endpoint());
    ASSERT_TRUE(eventually([&] { return broker_serves(redis.url(), "adder"); }));

    client_options options;
    options.redis = redis.url();
    options.heartbeat = 200ms;
    const auto start = bus::clock::now();
    client c(options);  // its first call waits for the registry's first answer
    auto outcome = c.call("greeter", "Hello", bus::bson_doc{}, long_deadline());
    ASSERT_EQ(outcome.code(), errc::unknown_service) << outcome.err().detail;
    EXPECT_TRUE(contains(outcome.err().detail, "'greeter'")) << outcome.err().detail;
    EXPECT_TRUE(contains(outcome.err().detail, "redis://127.0.0.1:" + std::to_string(redis.port())))
        << outcome.err().detail;
    EXPECT_LT(bus::clock::now() - start, well_before);
    EXPECT_TRUE(adder_works(c));  // a service it serves goes through

    // A service that appears later is called once the registry says so.
    auto greeter = std::make_unique<worker>(fast_worker_options("greeter", broker.endpoint()));
    greeter->handle("Hello", [](const request&) { return bus::bson_doc{}; });
    greeter->start();
    EXPECT_TRUE(eventually(
        [&] { return c.call("greeter", "Hello", bus::bson_doc{}, long_deadline()).ok(); }));
}

// A broker just restarted has no workers yet while another has: the broker
// that knows no worker answers UNKNOWN_SERVICE (after waiting for one), and
// the call, which did not run, goes to the next broker. So no call fails,
// idempotent or not, while one broker of the two serves.
TEST(FailFast, ABrokerWithoutTheServiceHandsTheCallToTheNextBroker) {
    auto without_options = fast_broker_options();
    without_options.unknown_service_wait = 50ms;
    running_broker without(without_options);
    running_broker with;
    auto adder = start_adder(with.endpoint());
    client_options options;
    options.brokers = {without.endpoint(), with.endpoint()};
    options.heartbeat = 200ms;
    client c(options);
    ASSERT_TRUE(adder_works(c));
    int answered = 0;
    for (int i = 0; i < 20; ++i) {
        auto params = bus::bson_doc{}.add_int32("a", i).add_int32("b", 1);
        auto outcome = c.call("adder", "Add", std::move(params), long_deadline());
        EXPECT_TRUE(outcome.ok()) << to_string(outcome.code()) << " " << outcome.err().detail;
        answered += outcome.ok();
    }
    EXPECT_EQ(answered, 20);
    // Round robin sent some of them to the broker without a worker first.
    EXPECT_GT(without.stats().unknown_service, 0u);
}

}  // namespace
}  // namespace skynet::testing
