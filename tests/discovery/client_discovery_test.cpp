// Clients that find their brokers in the registry: own region first, another
// region when theirs has none for the service, and through a Redis outage.
#include <gtest/gtest.h>

#include <thread>

#include "fixture.hpp"
#include "skynet/client/client.hpp"
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

    std::atomic<bool> stop{false};
    std::atomic<int> answered{0};
    std::atomic<int> failed{0};
    std::atomic<int> last_error{0};
    std::thread traffic([&] {
        bus::bson_doc params;
        params.add_int64("n", 5);
        call_options options;
        options.timeout = 10s;
        for (int i = 0; i < 100000 && !stop; ++i) {
            auto outcome = c.call("fibonacci", "Index", params.view(), options);
            if (outcome && outcome->result().get_int64("result") == 5) {
                ++answered;
            } else {
                ++failed;
                last_error = static_cast<int>(outcome.code());
            }
        }
    });
    ASSERT_TRUE(eventually([&] { return answered > 50; }));
    cluster.redis().stop();
    const int before_outage_ends = answered.load();
    ASSERT_TRUE(eventually([&] { return answered > before_outage_ends + 200; }))
        << "requests stopped flowing while Redis was down";
    cluster.redis().start();
    EXPECT_TRUE(eventually([&] { return all_registered(cluster); }));
    stop = true;
    traffic.join();
    EXPECT_EQ(failed, 0) << "last error code " << last_error;
}

}  // namespace
}  // namespace skynet::testing
