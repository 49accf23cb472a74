// skynet-broker --redis: the broker registers itself with the services it
// has workers for, and leaves the registry when it stops.
#include <gtest/gtest.h>

#include <csignal>

#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"
#include "support/sleeper_calls.hpp"

namespace skynet::testing {
namespace {

std::vector<registry::instance> brokers_in(registry::connection& registry,
                                           const std::string& region) {
    auto found = registry.find({.region = region, .kind = registry::instance_kind::broker});
    return found ? *found : std::vector<registry::instance>{};
}

TEST(BrokerRegistration, ABrokerRegistersItsServicesAndLeavesOnStop) {
    redis_server redis;
    auto registry = registry::connection::open(*registry::options_from_url(redis.url()));
    ASSERT_TRUE(registry.ok()) << registry.err().detail;
    auto endpoint = loopback_endpoint(free_port());
    child_process broker("skynet-broker", {"--bind", endpoint, "--redis", redis.url(), "--region",
                                           "eu", "--heartbeat-ms", "100", "--log-level", "warn"});
    ASSERT_TRUE(eventually([&] { return brokers_in(*registry, "eu").size() == 1; }));
    auto record = brokers_in(*registry, "eu").front();
    EXPECT_EQ(record.endpoint, endpoint);
    EXPECT_EQ(record.pid, broker.pid());
    EXPECT_TRUE(record.services.empty());

    child_process echo("echo-service",
                       {"--broker", endpoint, "--heartbeat-ms", "100", "--log-level", "warn"});
    EXPECT_TRUE(eventually([&] {
        auto found = brokers_in(*registry, "eu");
        return found.size() == 1 &&
               found.front().services == std::vector<std::string>{"echo", "echo@1.0"};
    }));
    echo.signal(SIGKILL);
    EXPECT_TRUE(eventually([&] {
        auto found = brokers_in(*registry, "eu");
        return found.size() == 1 && found.front().services.empty();
    }));

    broker.signal(SIGTERM);
    EXPECT_EQ(broker.wait_exit(generous), 0);
    EXPECT_TRUE(brokers_in(*registry, "eu").empty());
}

// While it drains what it holds, its record says so: unregistered (clients
// and workers stop choosing it) and draining (sky and the dashboard say why).
TEST(BrokerRegistration, ADrainingBrokerSaysSoInItsRecord) {
    redis_server redis;
    auto registry = registry::connection::open(*registry::options_from_url(redis.url()));
    ASSERT_TRUE(registry.ok()) << registry.err().detail;
    auto endpoint = loopback_endpoint(free_port());
    child_process broker("skynet-broker",
                         {"--bind", endpoint, "--redis", redis.url(), "--region", "eu",
                          "--heartbeat-ms", "100", "--drain-ms", "30000", "--log-level", "warn"});
    child_process sleeper("sleeper-service",
                          {"--broker", endpoint, "--heartbeat-ms", "100", "--log-level", "warn"});
    ASSERT_TRUE(eventually([&] {
        auto found = brokers_in(*registry, "eu");
        return found.size() == 1 && !found.front().services.empty();
    }));
    EXPECT_FALSE(brokers_in(*registry, "eu").front().draining);
    client_options options;
    options.brokers = {endpoint};
    client c(options);
    auto held = hold_sleeper_call(c, 6000, std::chrono::seconds(30));

    broker.signal(SIGTERM);
    EXPECT_TRUE(eventually([&] {
        auto found = registry->find({.kind = registry::instance_kind::broker});
        return found && found->size() == 1 && found->front().draining && !found->front().registered;
    }));
    EXPECT_TRUE(held.get().ok());  // what it held is still answered
    EXPECT_EQ(broker.wait_exit(generous), 0);
}

TEST(BrokerRegistration, ABadRedisUrlIsAClearError) {
    auto run = run_program("skynet-broker", {"--bind", loopback_endpoint(free_port()), "--redis",
                                             "http://nope", "--log-level", "warn"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("--redis"), std::string::npos) << run.err;
}

TEST(BrokerRegistration, AnUnreachableRedisDoesNotStopTheBroker) {
    auto endpoint = loopback_endpoint(free_port());
    child_process broker("skynet-broker", {"--bind", endpoint, "--redis",
                                           "redis://127.0.0.1:" + std::to_string(free_port()),
                                           "--log-level", "warn"});
    // It serves anyway (the registrar keeps trying on its own thread).
    zmq::context_t context(1);
    plain_client plain(context, endpoint);
    EXPECT_EQ(plain.request("mmi.service", {"echo"}, std::chrono::seconds(10)), frame_list{"404"});
    EXPECT_TRUE(broker.running());
}

}  // namespace
}  // namespace skynet::testing

namespace skynet::testing {
namespace {

TEST(BrokerRegistration, AKeyPrefixKeepsClustersApartInOneRedis) {
    redis_server redis;
    auto endpoint = loopback_endpoint(free_port());
    child_process broker("skynet-broker", {"--bind", endpoint, "--redis", redis.url(), "--prefix",
                                           "team-a:", "--region", "eu", "--log-level", "warn"});
    auto brokers_under = [&](const std::string& prefix) {
        auto registry =
            registry::connection::open(*registry::options_from_url(redis.url(), prefix));
        if (!registry) {
            return std::size_t{0};
        }
        auto found = registry->find({.kind = registry::instance_kind::broker});
        return found ? found->size() : std::size_t{0};
    };
    ASSERT_TRUE(eventually([&] { return brokers_under("team-a:") == 1; }));
    EXPECT_EQ(brokers_under("skynet:"), 0u);
}

}  // namespace
}  // namespace skynet::testing
