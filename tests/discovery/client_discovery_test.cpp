// Clients that find their brokers in the registry: own region first, another
// region when theirs has none for the service, and through a Redis outage.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "fixture.hpp"
#include "skynet/client/client.hpp"
#include "steady_calls.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using registry::instance_kind;

client_options discovering(const registry_cluster& cluster, const std::string& region) {
    client_options options;
    options.redis = cluster.url();
    options.region = region;
    options.heartbeat = 200ms;
    return options;
}

bool all_registered(registry_cluster& cluster) {
    auto found = cluster.find({});
    int brokers = 0;
    int workers = 0;
    for (const auto& i : found) {
        brokers += i.kind == instance_kind::broker && !i.services.empty();
        workers += i.kind == instance_kind::worker;
    }
    return brokers == 1 && workers == 1;
}

TEST(ClientDiscovery, AClientReachesAServiceOnlyPresentInAnotherRegion) {
    registry_cluster cluster;
    cluster.start_broker("a");  // our region: no fibonacci here
    cluster.start_broker("b");
    cluster.start_service("fibonacci-service", "b");
    ASSERT_TRUE(eventually([&] {
        for (const auto& b : cluster.find({.region = "b", .kind = instance_kind::broker})) {
            if (!b.services.empty()) {
                return true;
            }
        }
        return false;
    }));
    auto run =
        run_program("fibonacci-client", {"--redis", cluster.url(), "--region", "a", "--n", "15"});
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "fibonacci(15) = 610\n");
}

TEST(ClientDiscovery, RequestsFlowThroughARedisOutageAndAllRegisterAgain) {
    registry_cluster cluster;
    cluster.start_broker("eu");
    cluster.start_service("fibonacci-service", "eu");
    ASSERT_TRUE(eventually([&] { return all_registered(cluster); }));
    client c(discovering(cluster, "eu"));

    steady_calls traffic(c, 10s, /*idempotent=*/false, /*n=*/5);
    ASSERT_TRUE(eventually([&] { return traffic.answered() > 50; }));
    cluster.redis().stop();
    const int before_outage_ends = traffic.answered();
    ASSERT_TRUE(eventually([&] { return traffic.answered() > before_outage_ends + 200; }))
        << "requests stopped flowing while Redis was down";
    cluster.redis().start();
    EXPECT_TRUE(eventually([&] { return all_registered(cluster); }));
    traffic.stop();
    EXPECT_EQ(traffic.failed(), 0) << "last error code " << traffic.last_error();
}

// A broker that is slow to answer (frozen here) when Redis restarts empty
// drops out of the registry and cannot register again until it wakes. For
// the client it is then both "not answering" and gone from the registry; it
// must stay a last resort, not be taken for "no broker serves it": calls
// made meanwhile wait for it and are answered once it wakes.
TEST(ClientDiscovery, CallsWaitForAFrozenBrokerThatRedisForgot) {
    registry_cluster cluster;
    const auto broker = cluster.start_broker("eu");
    cluster.start_service("fibonacci-service", "eu");
    ASSERT_TRUE(eventually([&] { return all_registered(cluster); }));
    client c(discovering(cluster, "eu"));

    bus::bson_doc params;
    params.add_int64("n", 5);
    call_options options;
    options.timeout = 60s;
    options.idempotent = true;
    ASSERT_TRUE(c.call("fibonacci", "Index", params.view(), options));

    std::atomic<int> answered{0};
    std::atomic<int> failed{0};
    std::atomic<int> last_error{0};
    std::atomic<int> issued{0};
    auto one_call = [&] {
        ++issued;
        c.call_async("fibonacci", "Index", params.view(), options, [&](call_result outcome) {
            if (outcome) {
                ++answered;
            } else {
                ++failed;
                last_error = static_cast<int>(outcome.code());
            }
        });
    };

    cluster.signal_broker(broker, SIGSTOP);
    ASSERT_TRUE(eventually([&] { return c.stats().brokers_lost >= 1; }))
        << "the client never noticed its broker stopped answering";
    cluster.redis().stop();
    cluster.redis().start();
    ASSERT_TRUE(eventually([&] { return cluster.find({}).empty() && cluster.redis().running(); }));
    // Calls made from now on find the broker gone from the registry and not
    // answering. Paced, so that some are made after the client has read the
    // empty registry (it resubscribes within its retry interval).
    for (int i = 0; i < 150; ++i) {
        one_call();
        std::this_thread::sleep_for(10ms);  // pacing the traffic, not waiting for anything
    }
    EXPECT_EQ(failed, 0) << "calls ended while the broker was frozen, last error code "
                         << last_error;
    cluster.signal_broker(broker, SIGCONT);
    EXPECT_TRUE(eventually([&] { return answered + failed == issued; }, 60s))
        << answered << " answered, " << failed << " failed of " << issued;
    EXPECT_EQ(failed, 0) << "last error code " << last_error;
    EXPECT_EQ(answered, issued);
}

}  // namespace
}  // namespace skynet::testing
