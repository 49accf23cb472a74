// broker_registration, the library behind skynet-broker --redis: a broker
// embedded in this process registers as the executable does, with its
// endpoint and the services it has workers for, obeys sky stop, and leaves
// the registry with its registration.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <stdexcept>
#include <thread>

#include "skynet/broker/registration.hpp"
#include "skynet/registry/commands.hpp"
#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"
#include "support/broker_fixture.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {
namespace {

std::optional<registry::instance> broker_record(registry::connection& registry) {
    auto found = registry.find({.region = "eu", .kind = registry::instance_kind::broker});
    if (!found || found->size() != 1) {
        return std::nullopt;
    }
    return found->front();
}

TEST(EmbeddedBroker, RegistersItsEndpointAndServicesAndObeysSkyStop) {
    redis_server redis;
    auto registry = registry::connection::open(*registry::options_from_url(redis.url()));
    ASSERT_TRUE(registry.ok()) << registry.err().detail;

    broker_options options = fast_broker_options();
    std::atomic<int> hooked_before{0};  // a hook of our own still runs
    options.on_services_changed = [&](const std::vector<std::string>&) { ++hooked_before; };
    zmq::context_t context(1);
    std::optional<broker> embedded;  // declared first: it outlives its registration
    broker_registration registration(
        {.redis = redis.url(), .region = "eu", .host = "embedded-host"}, options);
    auto& b = embedded.emplace(options, context);
    registration.start(b);
    std::atomic<bool> ran{false};
    std::thread loop([&] {
        b.run();
        ran = true;
    });

    ASSERT_TRUE(eventually([&] { return broker_record(*registry).has_value(); }));
    auto record = *broker_record(*registry);
    EXPECT_EQ(record.endpoint, b.endpoint());
    EXPECT_EQ(record.endpoint, registration.endpoint());
    EXPECT_EQ(record.id, registration.id());
    EXPECT_EQ(record.host, "embedded-host");
    EXPECT_TRUE(record.registered);

    {
        plain_worker echo(context, b.endpoint(), "echo");
        EXPECT_TRUE(eventually([&] {
            auto r = broker_record(*registry);
            return r && r->services == std::vector<std::string>{"echo"};
        }));
        EXPECT_GT(hooked_before.load(), 0);
    }

    std::vector<std::string> ids{registration.id()};
    auto outcomes = registry::send_command(*registry::options_from_url(redis.url()), ids,
                                           registry::command::stop, "", std::chrono::seconds(5));
    ASSERT_TRUE(outcomes.ok()) << outcomes.err().detail;
    ASSERT_EQ(outcomes->size(), 1u);
    EXPECT_EQ(outcomes->front().status, registry::command_status::acted);
    EXPECT_TRUE(eventually([&] { return ran.load(); }));  // it drained and returned
    loop.join();
}

TEST(EmbeddedBroker, LeavesTheRegistryWithItsRegistration) {
    redis_server redis;
    auto registry = registry::connection::open(*registry::options_from_url(redis.url()));
    ASSERT_TRUE(registry.ok()) << registry.err().detail;
    broker_options options = fast_broker_options();
    zmq::context_t context(1);
    {
        auto registration = std::make_unique<broker_registration>(
            broker_registration_options{.redis = redis.url(), .region = "eu"}, options);
        broker b(options, context);
        registration->start(b);
        ASSERT_TRUE(eventually([&] { return broker_record(*registry).has_value(); }));
        registration->draining();
        EXPECT_TRUE(eventually([&] {
            auto r = broker_record(*registry);
            return r && !r->registered;
        }));
        registration.reset();
        EXPECT_TRUE(eventually([&] { return !broker_record(*registry).has_value(); }));
    }
}

TEST(EmbeddedBroker, ABadRedisUrlIsRefusedAtConstruction) {
    broker_options options;
    EXPECT_THROW(broker_registration({.redis = "http://nope"}, options), std::invalid_argument);
    EXPECT_FALSE(options.on_services_changed);  // nothing hooked
}

}  // namespace
}  // namespace skynet::testing
