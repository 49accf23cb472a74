// SIGTERM to a registered worker holding a call (issue #16): its record says
// "draining" while it finishes the call, then goes with the worker; what it
// held is still answered.
#include <gtest/gtest.h>

#include <csignal>
#include <future>

#include "fixture.hpp"
#include "skynet/client/client.hpp"
#include "support/eventually.hpp"
#include "support/sleeper_calls.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::optional<registry::instance> sleeper_of(registry_cluster& cluster) {
    auto found = cluster.find({.region = "eu", .service = "sleeper"});
    if (found.size() != 1) {
        return std::nullopt;
    }
    return found.front();
}

TEST(WorkerDraining, ADrainingWorkerSaysSoInItsRecordUntilItLeaves) {
    registry_cluster cluster;
    const auto broker = cluster.start_broker("eu");
    auto& worker = cluster.start_service("sleeper-service", "eu", {"--drain-ms", "30000"});
    ASSERT_TRUE(eventually([&] {
        auto r = sleeper_of(cluster);
        return r && !r->broker.empty();
    }));
    EXPECT_FALSE(sleeper_of(cluster)->draining);

    client_options options;
    options.brokers = {broker};
    client c(options);
    auto held = hold_sleeper_call(c, 6000, 30s);
    worker.signal(SIGTERM);

    // Said while the held call still runs: the record is there and draining.
    EXPECT_TRUE(eventually([&] {
        auto r = sleeper_of(cluster);
        return r && r->draining;
    }));
    auto outcome = held.get();
    EXPECT_TRUE(outcome.ok()) << bus::to_string(outcome.code()) << ": " << outcome.err().detail;
    EXPECT_TRUE(eventually([&] { return !sleeper_of(cluster); }));
}

}  // namespace
}  // namespace skynet::testing
