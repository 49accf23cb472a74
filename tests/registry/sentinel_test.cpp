// The registry behind Redis Sentinel (redis-sentinel:// URLs), against a real
// master, replica and three sentinels: connections go to the master the
// sentinels name, follow a failover, and say clearly when no sentinel can
// tell where the master is.

#include <gtest/gtest.h>

#include "registry_fixture.hpp"
#include "support/scratch_dir.hpp"
#include "support/sentinel_set.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

registry::options sentinel_options(const std::string& url) {
    auto opts = registry::options_from_url(url, "test:");
    EXPECT_TRUE(opts.ok()) << (opts ? "" : opts.err().detail);
    opts->connect_timeout = 1000ms;
    opts->command_timeout = 1000ms;
    return opts.value();
}

std::optional<registry::instance> record_at(const registry::options& opts, const std::string& id) {
    auto c = registry::connection::open(opts);
    if (!c) {
        return std::nullopt;
    }
    auto got = c->get(id);
    return got.ok() ? *got : std::nullopt;
}

class SentinelTest : public ::testing::Test {
protected:
    scratch_dir dir_{"sentinel"};
    sentinel_set sentinels_{dir_.path()};
};

TEST_F(SentinelTest, WritesGoToTheMasterTheSentinelsName) {
    auto c = registry::connection::open(sentinel_options(sentinels_.url()));
    ASSERT_TRUE(c.ok()) << c.err().detail;
    ASSERT_TRUE(c->put(make_record("w1"), 10s).ok());

    auto direct = sentinel_options("redis://127.0.0.1:" + std::to_string(sentinels_.master_port()));
    EXPECT_TRUE(record_at(direct, "w1").has_value());
}

// Every process re-registers on the new master, and a listener reports no
// removal for an instance that stayed alive.
TEST_F(SentinelTest, RegistrarsAndListenersFollowAFailover) {
    const auto opts = sentinel_options(sentinels_.url());
    registry::registrar r(opts, make_record("w1"), fast_registrar(3000ms));
    event_log log;
    registry::instance_listener listener(opts, {}, log.callbacks(), fast_listener());
    ASSERT_TRUE(eventually([&] { return log.saw("added w1"); }, 20s));

    const int old_master = sentinels_.stop_master();
    ASSERT_TRUE(eventually(
        [&] {
            const int now = sentinels_.master_port();
            return now != 0 && now != old_master;
        },
        60s))
        << "no failover";
    r.set_stats({.requests = 7});
    ASSERT_TRUE(eventually(
        [&] {
            auto got = record_at(opts, "w1");
            return got && got->stats.requests == 7;
        },
        30s))
        << "the registrar did not write to the new master";
    EXPECT_TRUE(eventually([&] { return r.online(); }, 10s));
    EXPECT_FALSE(log.saw("removed w1"));
}

// The old master stays up, taking writes, until Sentinel makes it a replica
// (about 10 s here): registrars and listeners leave it at once, on the
// sentinels' +switch-master, so that no lease runs out on the new master
// while refreshes go to the old one (seen as a spurious removal without it).
TEST_F(SentinelTest, AFailoverWithTheOldMasterStillUpIsFollowed) {
    const auto opts = sentinel_options(sentinels_.url());
    registry::registrar r(opts, make_record("w1"), fast_registrar(6000ms));
    event_log log;
    registry::instance_listener listener(opts, {}, log.callbacks(), fast_listener());
    ASSERT_TRUE(eventually([&] { return log.saw("added w1"); }, 20s));

    const int old_master = sentinels_.master_port();
    ASSERT_TRUE(sentinels_.force_failover());
    ASSERT_TRUE(eventually(
        [&] {
            const int now = sentinels_.master_port();
            return now != 0 && now != old_master;
        },
        60s))
        << "no failover";
    r.set_stats({.requests = 7});
    registry::instance second = make_record("w2");
    registry::registrar r2(opts, second, fast_registrar(6000ms));
    EXPECT_TRUE(eventually(
        [&] {
            auto got = record_at(opts, "w1");
            return got && got->stats.requests == 7;
        },
        30s))
        << "the registrar did not write to the new master";
    EXPECT_TRUE(eventually([&] { return log.saw("added w2"); }, 30s))
        << "the listener did not follow the new master";
    EXPECT_FALSE(log.saw("removed w1")) << ::testing::PrintToString(log.events());
}

TEST_F(SentinelTest, AMasterNameNoSentinelKnowsIsAClearError) {
    auto url = sentinels_.url();
    url.replace(url.rfind('/'), std::string::npos, "/nosuch");
    auto c = registry::connection::open(sentinel_options(url));
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.err().code, bus::errc::unavailable);
    EXPECT_NE(c.err().detail.find("knows no master named 'nosuch'"), std::string::npos)
        << c.err().detail;
}

TEST(Sentinel, UnreachableSentinelsAreOneClearError) {
    const int a = free_port();
    const int b = free_port();
    const auto url = "redis-sentinel://127.0.0.1:" + std::to_string(a) +
                     ",127.0.0.1:" + std::to_string(b) + "/skynet";
    auto c = registry::connection::open(sentinel_options(url));
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.err().code, bus::errc::unavailable);
    EXPECT_NE(c.err().detail.find("no sentinel of"), std::string::npos) << c.err().detail;
    EXPECT_NE(c.err().detail.find("127.0.0.1:" + std::to_string(a)), std::string::npos);
    EXPECT_NE(c.err().detail.find("127.0.0.1:" + std::to_string(b)), std::string::npos);
}

}  // namespace
}  // namespace skynet::testing
