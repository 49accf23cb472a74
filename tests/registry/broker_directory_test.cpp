// broker_directory: the one place where region preference, the fallback to
// another region and the grace for a vanished broker are decided, under the
// three callers' policies; broker_follower keeping one in step with a real
// registry.

#include <gtest/gtest.h>

#include <mutex>

#include "registry_fixture.hpp"
#include "skynet/registry/broker_follower.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using registry::broker_directory;
using registry::directory_policy;

registry::instance broker_record(std::string id, std::string endpoint, std::string region,
                                 std::vector<std::string> services = {}) {
    registry::instance r;
    r.id = std::move(id);
    r.kind = registry::instance_kind::broker;
    r.endpoint = std::move(endpoint);
    r.region = std::move(region);
    r.host = "h1";
    r.services = std::move(services);
    return r;
}

const directory_policy worker_policy{
    .region = "eu", .region_only = true, .registered_only = true, .grace = 6s};
const directory_policy client_policy{.region = "eu"};
const directory_policy sky_policy{.region = "eu", .registered_only = false};

TEST(BrokerDirectory, AWorkerSeesOnlyItsRegionsRegisteredBrokers) {
    broker_directory d(worker_policy);
    const auto now = bus::clock::now();
    EXPECT_TRUE(d.seen(broker_record("b1", "tcp://a:1", "eu"), now));
    EXPECT_FALSE(d.seen(broker_record("b2", "tcp://b:1", "us"), now));
    auto draining = broker_record("b3", "tcp://c:1", "eu");
    draining.registered = false;
    EXPECT_FALSE(d.seen(draining, now));
    EXPECT_FALSE(d.seen(broker_record("b4", "", "eu"), now));  // nowhere to dial
    EXPECT_EQ(d.endpoints(), std::vector<std::string>{"tcp://a:1"});
    EXPECT_EQ(worker_policy.broker_query().region, "eu");
    EXPECT_EQ(worker_policy.broker_query().registered, true);
}

TEST(BrokerDirectory, AWorkerLeavesAVanishedBrokerOnlyAfterItsGrace) {
    broker_directory d(worker_policy);
    const auto t0 = bus::clock::now();
    const auto b1 = broker_record("b1", "tcp://a:1", "eu");
    ASSERT_TRUE(d.seen(b1, t0));
    EXPECT_TRUE(d.gone(b1, t0));  // listed still, but vanished
    ASSERT_EQ(d.brokers().size(), 1u);
    EXPECT_TRUE(d.brokers().front().vanished);
    EXPECT_EQ(d.next_expiry(), t0 + 6s);
    EXPECT_FALSE(d.expire(t0 + 5999ms));
    EXPECT_EQ(d.endpoints(), std::vector<std::string>{"tcp://a:1"});
    EXPECT_TRUE(d.expire(t0 + 6s));
    EXPECT_TRUE(d.endpoints().empty());
    EXPECT_FALSE(d.next_expiry());
}

TEST(BrokerDirectory, ABrokerSeenAgainWithinItsGraceStays) {
    broker_directory d(worker_policy);
    const auto t0 = bus::clock::now();
    const auto b1 = broker_record("b1", "tcp://a:1", "eu");
    d.seen(b1, t0);
    d.gone(b1, t0);
    EXPECT_TRUE(d.seen(b1, t0 + 1s));  // vanished -> live
    EXPECT_FALSE(d.expire(t0 + 10s));
    ASSERT_EQ(d.brokers().size(), 1u);
    EXPECT_FALSE(d.brokers().front().vanished);
}

TEST(BrokerDirectory, ABrokerRestartedUnderANewIdIsLiveOnItsEndpoint) {
    broker_directory d(client_policy);
    const auto t0 = bus::clock::now();
    const auto old_id = broker_record("b1", "tcp://a:1", "eu", {"echo"});
    d.seen(old_id, t0);
    d.gone(old_id, t0);
    d.seen(broker_record("b2", "tcp://a:1", "eu", {"echo"}), t0);
    ASSERT_EQ(d.brokers().size(), 1u);
    EXPECT_EQ(d.brokers().front().id, "b2");
    EXPECT_FALSE(d.brokers().front().vanished);
}

TEST(BrokerDirectory, AClientKeepsAVanishedBrokerUntilItIsSeenAgain) {
    broker_directory d(client_policy);
    const auto t0 = bus::clock::now();
    const auto b1 = broker_record("b1", "tcp://a:1", "eu", {"echo"});
    d.seen(b1, t0);
    d.gone(b1, t0);
    EXPECT_FALSE(d.next_expiry());
    EXPECT_FALSE(d.expire(t0 + 24h));
    ASSERT_EQ(d.brokers().size(), 1u);
    EXPECT_TRUE(d.brokers().front().vanished);
}

TEST(BrokerDirectory, AZeroGraceDropsAVanishedBrokerAtOnce) {
    broker_directory d(directory_policy{.grace = 0ms});
    const auto b1 = broker_record("b1", "tcp://a:1", "eu");
    d.seen(b1, bus::clock::now());
    EXPECT_TRUE(d.gone(b1, bus::clock::now()));
    EXPECT_TRUE(d.brokers().empty());
}

TEST(BrokerDirectory, RanksPreferOurRegionThenAnotherThenALastResort) {
    const std::vector<std::string> echo{"echo", "echo@1.0"};
    const std::vector<std::string> none;
    EXPECT_EQ(client_policy.rank("eu", echo, false, "echo"), 3);
    EXPECT_EQ(client_policy.rank("us", echo, false, "echo@1.0"), 2);
    EXPECT_EQ(client_policy.rank("eu", none, false, "echo"), 1);  // UNKNOWN_SERVICE, after a wait
    EXPECT_EQ(client_policy.rank("us", none, false, "echo"), 0);
    EXPECT_EQ(client_policy.rank("eu", echo, true, "echo"), 1);  // vanished: a last resort
    EXPECT_EQ(client_policy.rank("eu", none, true, "echo"), 0);
    EXPECT_EQ(worker_policy.rank("us", echo, false, "echo"), 0);
    // No region of our own: every region is ours.
    EXPECT_EQ(directory_policy{}.rank("us", echo, false, "echo"), 3);
}

TEST(BrokerDirectory, ABrokersLoadIsPartOfItsEntry) {
    broker_directory d(client_policy);
    const auto now = bus::clock::now();
    auto b1 = broker_record("b1", "tcp://a:1", "eu", {"echo"});
    ASSERT_TRUE(d.seen(b1, now));
    EXPECT_EQ(d.brokers().front().load, registry::broker_load_record{});
    b1.load = {.queued = 7, .in_flight = 3, .cpu_percent = 40};
    EXPECT_TRUE(d.seen(b1, now));  // a change: followers pass it on
    EXPECT_EQ(d.brokers().front().load, b1.load);
    EXPECT_FALSE(d.seen(b1, now));  // the same figures again: no change
}

TEST(BrokerDirectory, ALoadWeighsByHeadroomOverItsQueue) {
    using registry::load_weight;
    EXPECT_DOUBLE_EQ(load_weight({}), 1.0);  // idle, or publishes nothing
    EXPECT_DOUBLE_EQ(load_weight({.cpu_percent = 50}), 0.5);
    EXPECT_DOUBLE_EQ(load_weight({.queued = 3}), 0.25);
    EXPECT_DOUBLE_EQ(load_weight({.in_flight = 1000}), 1.0);  // held by workers: no wait
    // Saturated, even past one core: a little, never nothing.
    EXPECT_NEAR(load_weight({.cpu_percent = 180}), 0.05, 1e-12);
    EXPECT_NEAR(load_weight({.queued = 1, .cpu_percent = 95}), 0.025, 1e-12);
    EXPECT_GT(load_weight({.queued = 1u << 30, .cpu_percent = 100}), 0.0);
}

TEST(BrokerDirectory, SkyCallsThroughOurRegionsBrokersElseAnyRegionsThatServe) {
    broker_directory d(sky_policy);
    const auto now = bus::clock::now();
    d.seen(broker_record("b1", "tcp://eu:1", "eu", {"echo"}), now);
    d.seen(broker_record("b2", "tcp://us:1", "us", {"echo", "fibonacci"}), now);
    d.seen(broker_record("b3", "tcp://us:2", "us", {"fibonacci"}), now);
    auto draining = broker_record("b4", "tcp://eu:2", "eu", {"echo"});
    draining.registered = false;  // sky reads every broker, as it always did
    d.seen(draining, now);
    EXPECT_EQ(d.endpoints_for("echo"), (std::vector<std::string>{"tcp://eu:1", "tcp://eu:2"}));
    EXPECT_EQ(d.endpoints_for("fibonacci"), (std::vector<std::string>{"tcp://us:1", "tcp://us:2"}));
    EXPECT_TRUE(d.endpoints_for("nothing").empty());
}

// What a follower handed its caller: every list, in order.
class changes {
public:
    registry::broker_follower::change_callback callback() {
        return [this](const std::vector<registry::broker_entry>& b) {
            std::lock_guard lock(mutex_);
            lists_.push_back(b);
        };
    }
    std::vector<registry::broker_entry> last() const {
        std::lock_guard lock(mutex_);
        return lists_.empty() ? std::vector<registry::broker_entry>{} : lists_.back();
    }
    // Some list held `endpoint` marked vanished.
    bool saw_vanished(const std::string& endpoint) const {
        std::lock_guard lock(mutex_);
        for (const auto& list : lists_) {
            for (const auto& b : list) {
                if (b.endpoint == endpoint && b.vanished) {
                    return true;
                }
            }
        }
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::vector<registry::broker_entry>> lists_;
};

TEST_F(RegistryTest, AFollowerKeepsAVanishedBrokerForItsGraceThenLeavesIt) {
    auto c = connect();
    ASSERT_TRUE(c.put(broker_record("b1", "tcp://a:1", "eu", {"echo"}), 60s).ok());
    ASSERT_TRUE(c.put(broker_record("b2", "tcp://b:1", "us"), 60s).ok());
    changes seen;
    directory_policy policy = worker_policy;
    policy.grace = 300ms;
    registry::broker_follower f(options(), policy, seen.callback());
    ASSERT_TRUE(eventually([&] { return seen.last().size() == 1; }));
    EXPECT_EQ(seen.last().front().endpoint, "tcp://a:1");
    EXPECT_EQ(seen.last().front().services, std::vector<std::string>{"echo"});

    ASSERT_TRUE(c.remove("b1").ok());  // as a Redis that lost its data would say
    EXPECT_TRUE(eventually([&] { return seen.last().empty(); }));  // its grace has passed
    EXPECT_TRUE(seen.saw_vanished("tcp://a:1"));                   // but first it was kept, marked
    EXPECT_TRUE(f.brokers().empty());
}

TEST_F(RegistryTest, AFollowerTakesBackABrokerThatRegistersAgain) {
    auto c = connect();
    const auto b1 = broker_record("b1", "tcp://a:1", "eu");
    ASSERT_TRUE(c.put(b1, 60s).ok());
    changes seen;
    registry::broker_follower f(options(), client_policy, seen.callback());
    ASSERT_TRUE(eventually([&] { return seen.last().size() == 1; }));
    ASSERT_TRUE(c.remove("b1").ok());
    ASSERT_TRUE(eventually([&] { return !seen.last().empty() && seen.last().front().vanished; }));
    ASSERT_TRUE(c.put(b1, 60s).ok());
    EXPECT_TRUE(eventually([&] { return !seen.last().empty() && !seen.last().front().vanished; }));
    EXPECT_EQ(f.brokers().size(), 1u);
}

}  // namespace
}  // namespace skynet::testing
