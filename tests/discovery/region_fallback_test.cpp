// Regions (issue #19): a client whose region has no worker for a service is
// served by another region's, moves back to its own as soon as its region
// serves it again, and falls back again when its region loses it, without a
// failed call. Which broker answers is read off each broker's own counters
// (mmi.stats, asked on a client of its own).
#include <gtest/gtest.h>

#include <csignal>

#include "fixture.hpp"
#include "skynet/registry/broker_directory.hpp"
#include "steady_calls.hpp"
#include "support/eventually.hpp"
#include "support/mmi_stats.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using registry::instance_kind;

// The requests a broker has sent to workers (mmi.stats is its own); -1 if it did not answer.
class reply_counter {
public:
    explicit reply_counter(const std::string& endpoint)
        : client_(client_options{.brokers = {endpoint}}) {}
    long long replies() {
        auto stats = read_broker_stats(client_);
        return stats ? static_cast<long long>(stats->dispatched) : -1;
    }

private:
    client client_;
};

// True once the region's broker lists `service` in its record (it has a
// worker for it), or no longer does.
bool region_lists(registry_cluster& cluster, const std::string& region, bool listed) {
    return eventually([&] {
        for (const auto& b : cluster.find({.region = region, .kind = instance_kind::broker})) {
            if (registry::lists_service(b.services, "fibonacci") == listed) {
                return true;
            }
        }
        return false;
    });
}

// True once `gaining` forwards `calls` more replies while `idle` forwards
// none: every call goes to `gaining`'s region.
bool calls_move_to(reply_counter& gaining, reply_counter& idle, int calls) {
    return eventually(
        [&] {
            const auto idle_before = idle.replies();
            const auto gaining_before = gaining.replies();
            // Not a wait for an event: the window in which to count.
            const bool grew =
                eventually([&] { return gaining.replies() >= gaining_before + calls; }, 10s);
            return grew && idle.replies() == idle_before && idle_before >= 0;
        },
        60s);
}

TEST(RegionFallback, ACallerUsesAnotherRegionOnlyWhileItsOwnCannotServe) {
    registry_cluster cluster;
    const auto own = cluster.start_broker("a");
    const auto other = cluster.start_broker("b");
    cluster.start_service("fibonacci-service", "b");
    ASSERT_TRUE(region_lists(cluster, "b", true));
    reply_counter own_replies(own);
    reply_counter other_replies(other);

    client_options options;
    options.redis = cluster.url();
    options.region = "a";
    options.heartbeat = 200ms;
    client caller(options);
    steady_calls calls(caller, 20s);
    ASSERT_TRUE(calls_move_to(other_replies, own_replies, 50))
        << "region a has no worker: region b should answer every call";

    auto& own_worker = cluster.start_service("fibonacci-service", "a");
    ASSERT_TRUE(region_lists(cluster, "a", true));
    EXPECT_TRUE(calls_move_to(own_replies, other_replies, 100))
        << "region a serves again: its broker should take every call";

    own_worker.signal(SIGKILL);
    ASSERT_TRUE(region_lists(cluster, "a", false));
    EXPECT_TRUE(calls_move_to(other_replies, own_replies, 100))
        << "region a lost its worker: region b should answer again";

    calls.stop();
    EXPECT_EQ(calls.failed(), 0) << "last error code " << calls.last_error();
    EXPECT_GT(calls.answered(), 250);
}

}  // namespace
}  // namespace skynet::testing
