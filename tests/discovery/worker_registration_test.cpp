// Workers in the registry: their record and figures, found brokers followed
// as they come and go, and removal when they stop or die.
#include <gtest/gtest.h>

#include <csignal>

#include "fixture.hpp"
#include "skynet/client/client.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using registry::instance_kind;

registry::query workers_of(const std::string& service) {
    return {.service = service, .kind = instance_kind::worker};
}

TEST(WorkerRegistration, AWorkerRegistersPublishesFiguresAndLeavesOnStop) {
    registry_cluster cluster;
    auto broker = cluster.start_broker("eu");
    auto& fib = cluster.start_service("fibonacci-service", "eu");
    ASSERT_TRUE(eventually([&] { return cluster.find(workers_of("fibonacci")).size() == 1; }));
    auto record = cluster.find(workers_of("fibonacci")).front();
    EXPECT_EQ(record.version, "1.0");
    EXPECT_EQ(record.region, "eu");
    EXPECT_EQ(record.pid, fib.pid());
    EXPECT_EQ(record.methods, std::vector<std::string>{"Index"});
    EXPECT_TRUE(record.registered);
    ASSERT_TRUE(eventually([&] {
        auto found = cluster.find(workers_of("fibonacci"));
        return found.size() == 1 && found.front().broker == broker;
    }));

    auto run =
        run_program("fibonacci-client", {"--redis", cluster.url(), "--region", "eu", "--n", "10"});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "fibonacci(10) = 55\n");
    EXPECT_TRUE(eventually([&] {
        auto found = cluster.find(workers_of("fibonacci"));
        return found.size() == 1 && found.front().stats.requests >= 177 &&
               found.front().stats.last_request_at > 0 &&
               found.front().stats.latency_p99_us >= found.front().stats.latency_avg_us;
    }));

    fib.signal(SIGTERM);
    EXPECT_EQ(fib.wait_exit(generous), 0);
    EXPECT_TRUE(cluster.find(workers_of("fibonacci")).empty());
}

TEST(WorkerRegistration, AKilledWorkerIsRemovedByItsBrokerBeforeItsLeaseEnds) {
    registry_cluster cluster;
    cluster.start_broker("eu");
    auto& echo = cluster.start_service("echo-service", "eu");
    ASSERT_TRUE(eventually([&] {
        auto found = cluster.find(workers_of("echo"));
        return found.size() == 1 && !found.front().broker.empty();
    }));
    auto brokers = cluster.find({.kind = instance_kind::broker});
    ASSERT_TRUE(eventually([&] {
        auto b = cluster.find({.kind = instance_kind::broker});
        return b.size() == 1 && !b.front().services.empty();
    }));
    echo.signal(SIGKILL);
    // The lease is 10 s; the broker sees the death in 300 ms and says so.
    EXPECT_TRUE(eventually([&] { return cluster.find(workers_of("echo")).empty(); },
                           std::chrono::seconds(7)));
}

TEST(WorkerRegistration, AWorkerFollowsTheBrokersOfItsRegion) {
    registry_cluster cluster;
    auto first = cluster.start_broker("eu");
    cluster.start_broker("us");  // another region: not for this worker
    cluster.start_service("echo-service", "eu");
    auto serving_on = [&](const std::string& endpoint) {
        for (const auto& b : cluster.find({.kind = instance_kind::broker})) {
            if (b.endpoint == endpoint) {
                return std::find(b.services.begin(), b.services.end(), "echo") != b.services.end();
            }
        }
        return false;
    };
    ASSERT_TRUE(eventually([&] { return serving_on(first); }));
    auto second = cluster.start_broker("eu");
    EXPECT_TRUE(eventually([&] { return serving_on(second); }));

    cluster.stop_broker(first);
    client c(fast_client_options(second));
    EXPECT_EQ(mmi_service(c, "echo"), "200");
    for (const auto& b : cluster.find({.kind = instance_kind::broker})) {
        if (b.region == "us") {
            EXPECT_TRUE(b.services.empty()) << "a worker of eu served on a broker of us";
        }
    }
}

// --lease-ms: a process frozen (so that it neither refreshes its record nor
// says goodbye) leaves the registry within its own lease, far sooner than
// the default 10 s. Neither has a broker that could report it.
TEST(WorkerRegistration, AFrozenProcessLeavesTheRegistryWithinItsLease) {
    registry_cluster cluster;
    const auto nowhere = loopback_endpoint(free_port());
    auto& echo =
        cluster.start_service("echo-service", "eu", {"--broker", nowhere, "--lease-ms", "500"});
    child_process broker("skynet-broker",
                         {"--bind", loopback_endpoint(free_port()), "--redis", cluster.url(),
                          "--region", "us", "--lease-ms", "500", "--log-level", "warn"});
    const registry::query brokers{.region = "us", .kind = instance_kind::broker};
    ASSERT_TRUE(eventually([&] {
        return cluster.find(workers_of("echo")).size() == 1 && cluster.find(brokers).size() == 1;
    }));
    echo.signal(SIGSTOP);
    broker.signal(SIGSTOP);
    const std::chrono::milliseconds well_before_the_default_lease{5000};
    EXPECT_TRUE(eventually([&] { return cluster.find(workers_of("echo")).empty(); },
                           well_before_the_default_lease));
    EXPECT_TRUE(
        eventually([&] { return cluster.find(brokers).empty(); }, well_before_the_default_lease));
}

TEST(WorkerRegistration, ALeaseUnder100MsIsRefused) {
    for (const char* binary : {"echo-service", "skynet-broker"}) {
        auto run = run_program(binary, {"--lease-ms", "50", "--log-level", "warn"});
        EXPECT_EQ(run.status, 2) << binary;
        EXPECT_NE(run.err.find("--lease-ms"), std::string::npos) << run.err;
    }
}

}  // namespace
}  // namespace skynet::testing
