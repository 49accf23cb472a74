// instance_listener: the initial set, changes in order, coalescing, leaving
// the filter, and resynchronising after Redis restarts.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "registry_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> snapshot_ids(const registry::instance_listener& l) {
    std::vector<std::string> out;
    for (const auto& r : l.snapshot()) {
        out.push_back(r.id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST_F(RegistryTest, ListenerDeliversTheInitialSetAsAdded) {
    auto c = connect();
    ASSERT_TRUE(c.put(make_record("e1"), 60s).ok());
    ASSERT_TRUE(c.put(make_record("e2"), 60s).ok());
    ASSERT_TRUE(c.put(make_record("o1", "other"), 60s).ok());
    event_log log;
    registry::instance_listener l(options(), {.service = "echo"}, log.callbacks(), fast_listener());
    ASSERT_TRUE(eventually([&] { return log.events().size() == 2; }));
    EXPECT_EQ(log.events(), (std::vector<std::string>{"added e1", "added e2"}));
    EXPECT_EQ(snapshot_ids(l), (std::vector<std::string>{"e1", "e2"}));
    EXPECT_TRUE(l.connected());
}

TEST_F(RegistryTest, ListenerSeesAddedUpdatedRemovedInOrder) {
    event_log log;
    registry::instance_listener l(options(), {}, log.callbacks(), fast_listener());
    ASSERT_TRUE(eventually([&] { return l.connected(); }));
    {
        registry::registrar r(options(), make_record("w1"), fast_registrar());
        ASSERT_TRUE(eventually([&] { return log.saw("added w1"); }));
        r.set_stats({.requests = 5, .latency_p99_us = 800});
        ASSERT_TRUE(eventually([&] { return log.saw("updated w1"); }));
    }
    ASSERT_TRUE(eventually([&] { return log.saw("removed w1"); }));
    EXPECT_EQ(log.events(), (std::vector<std::string>{"added w1", "updated w1", "removed w1"}));
    EXPECT_EQ(log.records()[1].stats.requests, 5U);
    EXPECT_EQ(log.records()[1].stats.latency_p99_us, 800U);
    EXPECT_TRUE(l.snapshot().empty());
}

TEST_F(RegistryTest, ListenerReportsAnInstanceThatStopsMatchingAsRemoved) {
    event_log log;
    registry::instance_listener l(options(), {.registered = true}, log.callbacks(),
                                  fast_listener());
    registry::registrar r(options(), make_record("w1"), fast_registrar());
    ASSERT_TRUE(eventually([&] { return log.saw("added w1"); }));
    r.set_registered(false);
    ASSERT_TRUE(eventually([&] { return log.saw("removed w1"); }));
    EXPECT_TRUE(l.snapshot().empty());
    r.set_registered(true);
    ASSERT_TRUE(eventually([&] { return log.count("added w1") == 2; }));
    EXPECT_EQ(log.events(), (std::vector<std::string>{"added w1", "removed w1", "added w1"}));
}

TEST_F(RegistryTest, ListenerCoalescesABurstOfUpdates) {
    auto c = connect();
    auto record = make_record("w1");
    ASSERT_TRUE(c.put(record, 60s).ok());
    event_log log;
    auto settings = fast_listener();
    settings.coalesce = 100ms;
    registry::instance_listener l(options(), {}, log.callbacks(), settings);
    ASSERT_TRUE(eventually([&] { return log.saw("added w1"); }));
    for (std::uint64_t i = 1; i <= 200; ++i) {
        record.stats.requests = i;
        ASSERT_TRUE(c.put(record, 60s).ok());
    }
    ASSERT_TRUE(eventually([&] {
        auto records = log.records();
        return records.back().stats.requests == 200;
    }));
    EXPECT_LT(log.count("updated"), 50U) << "200 updates were not coalesced";
}

TEST_F(RegistryTest, ListenerResynchronisesAfterRedisRestarts) {
    event_log log;
    registry::instance_listener l(options(), {}, log.callbacks(), fast_listener());
    registry::registrar owner(options(), make_record("alive"), fast_registrar(900ms));
    {
        auto c = connect();
        ASSERT_TRUE(c.put(make_record("orphan"), 60s).ok());  // nobody will put it back
    }
    ASSERT_TRUE(eventually([&] { return snapshot_ids(l).size() == 2; }));
    redis_.stop();
    ASSERT_TRUE(eventually([&] { return !l.connected(); }));
    EXPECT_EQ(snapshot_ids(l).size(), 2U);  // keeps what it knew while Redis is away
    redis_.start();
    {
        auto c = connect();
        ASSERT_TRUE(c.put(make_record("newcomer"), 60s).ok());
    }
    ASSERT_TRUE(eventually([&] {
        return snapshot_ids(l) == std::vector<std::string>{"alive", "newcomer"} && l.connected();
    }));
    EXPECT_TRUE(log.saw("removed orphan"));
    EXPECT_TRUE(log.saw("added newcomer"));
}

TEST_F(RegistryTest, ListenerSurvivesAThrowingCallback) {
    auto c = connect();
    int calls = 0;
    std::atomic<int> removed{0};
    registry::listener_callbacks callbacks{[&](const registry::instance&) {
                                               ++calls;
                                               throw std::runtime_error("callback failed");
                                           },
                                           nullptr, [&](const registry::instance&) { ++removed; }};
    registry::instance_listener l(options(), {}, std::move(callbacks), fast_listener());
    ASSERT_TRUE(c.put(make_record("w1"), 60s).ok());
    ASSERT_TRUE(c.put(make_record("w2"), 60s).ok());
    ASSERT_TRUE(eventually([&] { return snapshot_ids(l).size() == 2; }));
    ASSERT_TRUE(c.remove("w1").ok());
    EXPECT_TRUE(eventually([&] { return removed == 1; }));
}

}  // namespace
}  // namespace skynet::testing
