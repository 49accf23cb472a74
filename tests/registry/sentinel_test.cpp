// The registry behind Redis Sentinel (redis-sentinel:// URLs), against a real
// master, replica and three sentinels: connections go to the master the
// sentinels name, follow a failover, and say clearly when no sentinel can
// tell where the master is.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "registry_fixture.hpp"
#include "skynet/registry/commands.hpp"
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

// A registrar's instance "w1" and a listener, both through the sentinels,
// once the listener has seen it.
struct followed {
    followed(const registry::options& opts, std::chrono::milliseconds lease)
        : registrar(opts, make_record("w1"), fast_registrar(lease)),
          listener(opts, {}, log.callbacks(), fast_listener()) {
        EXPECT_TRUE(eventually([&] { return log.saw("added w1"); }, 20s));
    }
    registry::registrar registrar;
    event_log log;
    registry::instance_listener listener;
};

// A sentinel on a host gone silent: connections are taken (by the kernel)
// and never answered. It counts the connections made to it.
class silent_sentinel {
public:
    silent_sentinel() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
        EXPECT_EQ(::listen(fd_, 64), 0);
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
    }
    ~silent_sentinel() { ::close(fd_); }
    silent_sentinel(const silent_sentinel&) = delete;
    silent_sentinel& operator=(const silent_sentinel&) = delete;

    int port() const noexcept { return port_; }
    // Connections made since the last call.
    int connections() {
        int n = 0;
        for (int client = ::accept(fd_, nullptr, nullptr); client >= 0;
             client = ::accept(fd_, nullptr, nullptr)) {
            ::close(client);
            ++n;
        }
        return n;
    }

private:
    int fd_;
    int port_ = 0;
};

class SentinelTest : public ::testing::Test {
protected:
    // True once the sentinels name a master other than `old_master`.
    bool failed_over_from(int old_master) {
        return eventually(
            [&] {
                const int now = sentinels_.master_port();
                return now != 0 && now != old_master;
            },
            60s);
    }
    // True once the new master holds w1 with the figures set after the failover.
    static bool stats_reached(const registry::options& opts) {
        return eventually(
            [&] {
                auto got = record_at(opts, "w1");
                return got && got->stats.requests == 7;
            },
            30s);
    }

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
    followed w1(opts, 3000ms);
    ASSERT_TRUE(w1.log.saw("added w1"));

    ASSERT_TRUE(failed_over_from(sentinels_.stop_master())) << "no failover";
    w1.registrar.set_stats({.requests = 7});
    ASSERT_TRUE(stats_reached(opts)) << "the registrar did not write to the new master";
    EXPECT_TRUE(eventually([&] { return w1.registrar.online(); }, 10s));
    EXPECT_FALSE(w1.log.saw("removed w1"));
}

// The old master stays up, taking writes, until Sentinel makes it a replica
// (about 10 s here): registrars and listeners leave it at once, on the
// sentinels' +switch-master, so that no lease runs out on the new master
// while refreshes go to the old one (seen as a spurious removal without it).
TEST_F(SentinelTest, AFailoverWithTheOldMasterStillUpIsFollowed) {
    const auto opts = sentinel_options(sentinels_.url());
    followed w1(opts, 6000ms);
    ASSERT_TRUE(w1.log.saw("added w1"));

    const int old_master = sentinels_.master_port();
    ASSERT_TRUE(sentinels_.force_failover());
    ASSERT_TRUE(failed_over_from(old_master)) << "no failover";
    w1.registrar.set_stats({.requests = 7});
    registry::registrar w2(opts, make_record("w2"), fast_registrar(6000ms));
    EXPECT_TRUE(stats_reached(opts)) << "the registrar did not write to the new master";
    EXPECT_TRUE(eventually([&] { return w1.log.saw("added w2"); }, 30s))
        << "the listener did not follow the new master";
    EXPECT_FALSE(w1.log.saw("removed w1")) << ::testing::PrintToString(w1.log.events());
}

// Commands are published on the new master at once; an instance still
// subscribed on the old one (up until Sentinel makes it a replica, about
// 10 s) would hear none of them meanwhile and `sky` would say it is not
// listening. It moves on +switch-master, within the command's timeout.
TEST_F(SentinelTest, CommandsReachAnInstanceRightAfterAFailover) {
    const auto opts = sentinel_options(sentinels_.url());
    registry::registrar w1(opts, make_record("w1"), fast_registrar(6000ms));
    std::atomic<int> unregistered{0};
    w1.handle_commands({.unregister = [&] { ++unregistered; }});
    ASSERT_TRUE(eventually([&] { return w1.commands_subscribed(); }, 20s));

    const int old_master = sentinels_.master_port();
    ASSERT_TRUE(sentinels_.force_failover());
    ASSERT_TRUE(failed_over_from(old_master)) << "no failover";
    const std::vector<std::string> ids{"w1"};
    auto sent = registry::send_command(opts, ids, registry::command::unregister, {}, 5000ms);
    ASSERT_TRUE(sent.ok()) << sent.err().detail;
    ASSERT_EQ(sent->size(), 1u);
    EXPECT_EQ(sent->front().status, registry::command_status::acted)
        << registry::to_string(sent->front().status) << " " << sent->front().detail;
    EXPECT_EQ(unregistered.load(), 1);
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

// Redis's guidelines for Sentinel clients: the sentinel that answered is
// asked first next time. A silent first sentinel otherwise costs its timeout
// to every connection, every reconnect, every fresh client's first look.
TEST_F(SentinelTest, TheSentinelThatAnsweredIsAskedFirst) {
    silent_sentinel silent;
    auto url = sentinels_.url();
    url.insert(std::string("redis-sentinel://").size(),
               "127.0.0.1:" + std::to_string(silent.port()) + ",");
    const auto opts = sentinel_options(url);
    ASSERT_TRUE(registry::connection::open(opts).ok());
    EXPECT_EQ(silent.connections(), 1) << "the silent sentinel, first in the URL, was not asked";
    for (int i = 0; i < 3; ++i) {
        auto c = registry::connection::open(opts);
        ASSERT_TRUE(c.ok()) << c.err().detail;
        ASSERT_TRUE(c->put(make_record("w1"), 10s).ok());
    }
    EXPECT_EQ(silent.connections(), 0) << "the silent sentinel was asked again, first";
}

}  // namespace
}  // namespace skynet::testing
