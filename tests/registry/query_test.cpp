// Query, lists, put/remove outcomes and index upkeep against a real Redis.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "registry_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using registry::instance_kind;
using registry::query;

// "<stem><n>" (appending: GCC 12 misreports "x" + std::string as overlapping).
std::string numbered(const char* stem, int n) {
    return std::string(stem).append(std::to_string(n));
}

// 300 instances spread over every filter's values, so that each query below
// picks a different index and a different set.
std::vector<registry::instance> population() {
    const char* services[] = {"a", "b", "c", "d"};
    const char* regions[] = {"eu", "us", "ap"};
    std::vector<registry::instance> out;
    for (int i = 0; i < 300; ++i) {
        auto r = make_record(numbered("i", i), services[i % 4], (i / 4) % 2 ? "1.0" : "2.0",
                             regions[i % 3], numbered("h", i % 5));
        r.kind = i % 7 == 0 ? instance_kind::broker
                            : (i % 5 == 0 ? instance_kind::daemon : instance_kind::worker);
        r.registered = i % 3 != 1;
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<query> queries() {
    std::vector<query> out;
    for (auto region : {std::optional<std::string>{}, std::optional<std::string>{"eu"},
                        std::optional<std::string>{"us"}, std::optional<std::string>{"xx"}}) {
        for (auto service : {std::optional<std::string>{}, std::optional<std::string>{"a"},
                             std::optional<std::string>{"zz"}}) {
            for (auto version : {std::optional<std::string>{}, std::optional<std::string>{"1.0"}}) {
                for (auto kind : {std::optional<instance_kind>{},
                                  std::optional<instance_kind>{instance_kind::worker},
                                  std::optional<instance_kind>{instance_kind::broker}}) {
                    for (auto reg : {std::optional<bool>{}, std::optional<bool>{true},
                                     std::optional<bool>{false}}) {
                        for (auto host :
                             {std::optional<std::string>{}, std::optional<std::string>{"h1"}}) {
                            out.push_back({region, host, service, version, kind, reg});
                        }
                    }
                }
            }
        }
    }
    return out;
}

TEST_F(RegistryTest, QueryFiltersReturnExactlyTheMatchingSets) {
    auto c = connect();
    auto all = population();
    for (const auto& r : all) {
        ASSERT_TRUE(c.put(r, 60s).ok());
    }
    std::size_t nonempty = 0;
    for (const auto& q : queries()) {
        std::vector<std::string> expected;
        for (const auto& r : all) {
            if (q.matches(r)) {
                expected.push_back(r.id);
            }
        }
        std::sort(expected.begin(), expected.end());
        ASSERT_EQ(ids(c, q), expected);
        nonempty += expected.empty() ? 0 : 1;
    }
    EXPECT_GT(nonempty, 100U);  // the table is not trivially empty
    auto found = c.find(query{.service = "b", .version = "2.0"});
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 38U);  // i = 4k + 1 with k even, below 300
    auto match = std::find_if(all.begin(), all.end(),
                              [&](const auto& r) { return r.id == found->front().id; });
    EXPECT_EQ(found->front(), *match);  // records come back whole
}

TEST_F(RegistryTest, ListsFollowInstances) {
    auto c = connect();
    for (const auto& r : population()) {
        ASSERT_TRUE(c.put(r, 60s).ok());
    }
    using strings = std::vector<std::string>;
    EXPECT_EQ(c.services().value(), (strings{"a", "b", "c", "d"}));
    EXPECT_EQ(c.versions("a").value(), (strings{"1.0", "2.0"}));
    EXPECT_EQ(c.versions("nothing").value(), strings{});
    EXPECT_EQ(c.hosts().value(), (strings{"h0", "h1", "h2", "h3", "h4"}));
    EXPECT_EQ(c.regions().value(), (strings{"ap", "eu", "us"}));
    for (const auto& id : ids(c, query{.service = "d"})) {
        ASSERT_TRUE(c.remove(id).value());
    }
    EXPECT_EQ(c.services().value(), (strings{"a", "b", "c"}));
    for (const auto& id : ids(c, query{.service = "a", .version = "1.0"})) {
        ASSERT_TRUE(c.remove(id).value());
    }
    EXPECT_EQ(c.versions("a").value(), strings{"2.0"});
}

TEST_F(RegistryTest, ChangedFieldLeavesItsOldIndex) {
    auto c = connect();
    auto r = make_record("w1", "old");
    ASSERT_EQ(c.put(r, 60s).value(), registry::put_outcome::added);
    ASSERT_EQ(c.put(r, 60s).value(), registry::put_outcome::refreshed);
    r.service = "new";
    r.registered = false;
    ASSERT_EQ(c.put(r, 60s).value(), registry::put_outcome::updated);
    EXPECT_TRUE(ids(c, query{.service = "old"}).empty());
    EXPECT_EQ(ids(c, query{.service = "new", .registered = false}), std::vector<std::string>{"w1"});
    EXPECT_TRUE(ids(c, query{.registered = true}).empty());
    EXPECT_EQ(c.services().value(), std::vector<std::string>{"new"});
    EXPECT_EQ(c.get("w1").value(), r);
    EXPECT_FALSE(c.remove("nobody").value());
    EXPECT_FALSE(c.get("nobody").value().has_value());
}

TEST_F(RegistryTest, ExpiredLeaseLeavesQueriesAndLists) {
    auto c = connect();
    ASSERT_TRUE(c.put(make_record("short", "fleeting"), 300ms).ok());
    ASSERT_TRUE(c.put(make_record("long", "lasting"), 60s).ok());
    EXPECT_EQ(ids(c).size(), 2U);
    ASSERT_TRUE(eventually([&] { return ids(c) == std::vector<std::string>{"long"}; }));
    EXPECT_EQ(c.services().value(), std::vector<std::string>{"lasting"});
    EXPECT_FALSE(c.get("short").value().has_value());
}

TEST_F(RegistryTest, BadRecordIsSkippedNotFatal) {
    auto c = connect();
    ASSERT_TRUE(c.put(make_record("good"), 60s).ok());
    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"-p", std::to_string(redis_.port())});
        return run_program("/usr/bin/redis-cli", args).status;
    };
    ASSERT_EQ(cli({"HSET", "test:instance:bad", "id", "bad", "kind", "wizard"}), 0);
    ASSERT_EQ(cli({"ZADD", "test:instances", "99999999999999", "bad"}), 0);
    ASSERT_EQ(cli({"SET", "test:instance:str", "not a hash"}), 0);
    ASSERT_EQ(cli({"ZADD", "test:instances", "99999999999999", "str"}), 0);
    EXPECT_EQ(ids(c), std::vector<std::string>{"good"});
    auto bad = c.get("bad");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.err().code, bus::errc::bad_request);
    // A writer may take over a key that held garbage.
    ASSERT_TRUE(c.put(make_record("str"), 60s).ok());
    EXPECT_EQ(ids(c), (std::vector<std::string>{"good", "str"}));
}

TEST_F(RegistryTest, QueryOverTenThousandInstancesIsFast) {
    auto c = connect();
    for (int i = 0; i < 10000; ++i) {
        auto r = make_record(numbered("w", i), numbered("svc", i % 50), "1.0", numbered("r", i % 4),
                             numbered("host", i % 200));
        ASSERT_TRUE(c.put(r, 120s).ok());
    }
    auto timed = [&](const query& q, std::size_t expected) {
        auto start = std::chrono::steady_clock::now();
        auto found = c.find(q);
        auto took = std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(found.ok());
        EXPECT_EQ(found->size(), expected);
        return std::chrono::duration_cast<std::chrono::microseconds>(took);
    };
    auto all = timed({}, 10000);
    auto one_service = timed(query{.region = "r1", .service = "svc1"}, 100);
    auto one_host = timed(query{.host = "host7"}, 50);
    std::cout << "query over 10000 instances: all=" << all.count() / 1000.0
              << " ms, region+service=" << one_service.count() / 1000.0
              << " ms, host=" << one_host.count() / 1000.0 << " ms\n";
    // Figures, not a benchmark: the bounds leave room for a loaded machine.
    EXPECT_LT(all, 2s);
    EXPECT_LT(one_service, 500ms);
}

}  // namespace
}  // namespace skynet::testing
