// redis:// URLs: what parses, and a clear bad_request for what does not.

#include "skynet/registry/redis_url.hpp"

#include <gtest/gtest.h>

namespace skynet::testing {
namespace {

using registry::parse_redis_url;

TEST(RegistryUrl, HostPortAndDefaults) {
    auto u = parse_redis_url("redis://example.org");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->host, "example.org");
    EXPECT_EQ(u->port, 6379);
    EXPECT_EQ(u->db, 0);
    EXPECT_TRUE(u->password.empty());

    u = parse_redis_url("redis://127.0.0.1:7000/");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->port, 7000);
    EXPECT_EQ(u->to_string(), "redis://127.0.0.1:7000");
}

TEST(RegistryUrl, PasswordUserAndDatabase) {
    auto u = parse_redis_url("redis://:s%40cret@10.0.0.1:6380/3");
    ASSERT_TRUE(u.ok()) << u.err().detail;
    EXPECT_EQ(u->password, "s@cret");
    EXPECT_TRUE(u->user.empty());
    EXPECT_EQ(u->db, 3);
    EXPECT_EQ(u->to_string(), "redis://10.0.0.1:6380/3");  // no password in logs

    u = parse_redis_url("redis://alice:pw@h:1/0");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->user, "alice");
    EXPECT_EQ(u->password, "pw");
}

TEST(RegistryUrl, Ipv6InBrackets) {
    auto u = parse_redis_url("redis://[::1]:6390");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->host, "::1");
    EXPECT_EQ(u->port, 6390);
    EXPECT_EQ(u->to_string(), "redis://[::1]:6390");
}

TEST(RegistryUrl, BadUrlsAreBadRequests) {
    for (const char* text :
         {"", "127.0.0.1:6379", "http://h:1", "redis://", "redis://:6379", "redis://h:0",
          "redis://h:65536", "redis://h:port", "redis://h:-1", "redis://h:1/db", "redis://h:1/-2",
          "redis://h:1?x=1", "redis://pw@h:1", "redis://:p%zz@h:1", "redis://:p%4@h:1",
          "redis://[::1:6379", "redis://h :1"}) {
        auto u = parse_redis_url(text);
        ASSERT_FALSE(u.ok()) << text;
        EXPECT_EQ(u.err().code, bus::errc::bad_request) << text;
        EXPECT_NE(u.err().detail.find("redis URL"), std::string::npos) << u.err().detail;
    }
}

TEST(RegistryUrl, SentinelsAndTheMastersName) {
    auto u = parse_redis_url("redis-sentinel://:pw@10.0.0.1,10.0.0.2:26380,[::1]:26381/main/2");
    ASSERT_TRUE(u.ok()) << u.err().detail;
    ASSERT_TRUE(u->via_sentinel());
    ASSERT_EQ(u->sentinels.size(), 3u);
    EXPECT_EQ(u->sentinels[0].to_string(), "10.0.0.1:26379");  // Sentinel's own port
    EXPECT_EQ(u->sentinels[1].to_string(), "10.0.0.2:26380");
    EXPECT_EQ(u->sentinels[2].to_string(), "[::1]:26381");
    EXPECT_EQ(u->master_name, "main");
    EXPECT_EQ(u->db, 2);
    EXPECT_EQ(u->password, "pw");
    EXPECT_EQ(u->to_string(), "redis-sentinel://10.0.0.1:26379,10.0.0.2:26380,[::1]:26381/main/2");
    EXPECT_FALSE(parse_redis_url("redis://h:1").value().via_sentinel());
}

TEST(RegistryUrl, BadSentinelUrlsAreBadRequests) {
    for (const char* text :
         {"redis-sentinel://h:26379", "redis-sentinel://h:26379/", "redis-sentinel:///main",
          "redis-sentinel://h:1,/main", "redis-sentinel://h:0/main", "redis-sentinel://h/main/x",
          "redis-sentinel://h,h:port/main"}) {
        auto u = parse_redis_url(text);
        ASSERT_FALSE(u.ok()) << text;
        EXPECT_EQ(u.err().code, bus::errc::bad_request) << text;
        EXPECT_NE(u.err().detail.find("redis-sentinel://"), std::string::npos) << u.err().detail;
    }
}

TEST(RegistryUrl, OptionsFromUrlKeepPrefix) {
    auto o = registry::options_from_url("redis://h:2", "mine:");
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->prefix, "mine:");
    EXPECT_EQ(o->redis.port, 2);
    EXPECT_FALSE(registry::options_from_url("nope").ok());
}

}  // namespace
}  // namespace skynet::testing
