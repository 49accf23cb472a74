// Reaching Redis: passwords, database numbers, and clear errors, fast, when
// it cannot be reached or does not answer.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "registry_fixture.hpp"
#include "skynet/registry/credentials.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

registry::options options_for(const std::string& url) {
    auto opts = registry::options_from_url(url, "test:");
    EXPECT_TRUE(opts.ok());
    opts->connect_timeout = 1000ms;
    opts->command_timeout = 1000ms;
    return opts.value();
}

TEST(RegistryConnect, PasswordAndDatabaseNumberWork) {
    redis_server redis({"--requirepass", "s3cret"});
    auto in_db3 = registry::connection::open(options_for(redis.url("s3cret", 3)));
    ASSERT_TRUE(in_db3.ok()) << in_db3.err().detail;
    ASSERT_TRUE(in_db3->put(make_record("w1"), 60s).ok());
    EXPECT_EQ(in_db3->find().value().size(), 1U);

    auto in_db0 = registry::connection::open(options_for(redis.url("s3cret")));
    ASSERT_TRUE(in_db0.ok());
    EXPECT_TRUE(in_db0->find().value().empty());

    event_log log;
    registry::instance_listener listener(options_for(redis.url("s3cret", 3)), {}, log.callbacks(),
                                         fast_listener());
    registry::registrar r(options_for(redis.url("s3cret", 3)), make_record("w2"), fast_registrar());
    EXPECT_TRUE(eventually([&] { return log.saw("added w1") && log.saw("added w2"); }));
}

TEST(RegistryConnect, WrongOrMissingPasswordIsUnauthorized) {
    redis_server redis({"--requirepass", "s3cret"});
    for (const auto& url : {redis.url("wrong"), redis.url()}) {
        auto c = registry::connection::open(options_for(url));
        ASSERT_FALSE(c.ok()) << url;
        EXPECT_EQ(c.err().code, bus::errc::unauthorized) << c.err().detail;
    }
}

// Redis 6 ACL users: redis://user:password@host, as docs/security.md sets
// them up, with only the keys and channels of the registry's prefix.
TEST(RegistryConnect, AnAclUserReachesItsKeysAndAWrongPasswordIsUnauthorized) {
    // On redis-server's command line a directive's words are separate arguments.
    redis_server redis({"--user", "default", "off", "--user", "registry", "on", ">pa55", "~test:*",
                        "&test:*", "+@all", "-@dangerous"});
    const auto base = "127.0.0.1:" + std::to_string(redis.port());
    auto c = registry::connection::open(options_for("redis://registry:pa55@" + base));
    ASSERT_TRUE(c.ok()) << c.err().detail;
    EXPECT_TRUE(c->put(make_record("w1"), 60s).ok());
    EXPECT_EQ(c->find().value().size(), 1U);

    for (const auto& url : {"redis://registry:nope@" + base, "redis://other:pa55@" + base}) {
        auto refused = registry::connection::open(options_for(url));
        ASSERT_FALSE(refused.ok()) << url;
        EXPECT_EQ(refused.err().code, bus::errc::unauthorized) << refused.err().detail;
        EXPECT_THROW(registry::refuse_wrong_credentials(options_for(url), "test"),
                     std::invalid_argument);
    }
    EXPECT_NO_THROW(
        registry::refuse_wrong_credentials(options_for("redis://registry:pa55@" + base), "test"));
}

TEST(RegistryConnect, UnreachablePortFailsFast) {
    auto start = steady::now();
    auto c =
        registry::connection::open(options_for("redis://127.0.0.1:" + std::to_string(free_port())));
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.err().code, bus::errc::unavailable);
    EXPECT_NE(c.err().detail.find("redis at redis://127.0.0.1:"), std::string::npos)
        << c.err().detail;
    EXPECT_LT(steady::now() - start, 2s);
}

TEST(RegistryConnect, SilentServerTimesOutInsteadOfHanging) {
    // A socket that completes TCP handshakes (the kernel does) but never answers.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(fd, 8), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    auto start = steady::now();
    auto c = registry::connection::open(
        options_for("redis://:pw@127.0.0.1:" + std::to_string(ntohs(address.sin_port))));
    ::close(fd);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.err().code, bus::errc::unavailable) << c.err().detail;
    EXPECT_LT(steady::now() - start, 3s);
}

TEST(RegistryConnect, BadUrlIsABadRequest) {
    auto opts = registry::options_from_url("redis//localhost");
    ASSERT_FALSE(opts.ok());
    EXPECT_EQ(opts.err().code, bus::errc::bad_request);
}

TEST_F(RegistryTest, ConnectionReportsLostRedisAndStaysBroken) {
    auto c = connect();
    ASSERT_TRUE(c.find().ok());
    redis_.stop();
    auto found = c.find();
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.err().code, bus::errc::unavailable);
    EXPECT_TRUE(c.broken());
    EXPECT_FALSE(c.services().ok());
}

}  // namespace
}  // namespace skynet::testing
