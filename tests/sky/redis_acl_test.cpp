// The Redis ACL users docs/security.md gives: a service user (brokers,
// workers, clients, skyd, and sky when it steers) with only the registry's
// keys and channels, and a viewer (sky's listings, the dashboard) that can
// read and not change. A bus runs end to end under them.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {
namespace {

// The rules of docs/security.md, word for word (a directive's words are
// separate arguments on redis-server's command line).
const std::vector<std::string> acl_users = {
    "--user",     "default",         "off",          "--user",         "skynet-service",
    "on",         ">service-secret", "resetkeys",    "~skynet:*",      "resetchannels",
    "&skynet:*",  "-@all",           "+@connection", "+@read",         "+@write",
    "+@keyspace", "+@pubsub",        "+@scripting",  "+time",          "-@dangerous",
    "--user",     "skynet-viewer",   "on",           ">viewer-secret", "resetkeys",
    "~skynet:*",  "resetchannels",   "&skynet:*",    "-@all",          "+@connection",
    "+@read",     "+subscribe",      "+evalsha",     "+script|load",   "+time"};

std::string url_of(const redis_server& redis, const std::string& user, const std::string& secret) {
    return "redis://" + user + ":" + secret + "@127.0.0.1:" + std::to_string(redis.port());
}

TEST(RedisAcl, ABusRunsUnderTheServiceUserAndTheViewerOnlyReads) {
    redis_server redis(acl_users);
    const auto service_url = url_of(redis, "skynet-service", "service-secret");
    const auto viewer_url = url_of(redis, "skynet-viewer", "viewer-secret");
    const std::vector<std::string> common = {"--redis",        service_url, "--region",    "acl",
                                             "--heartbeat-ms", "100",       "--log-level", "warn"};
    auto with = [&](std::vector<std::string> args) {
        args.insert(args.end(), common.begin(), common.end());
        return args;
    };
    child_process broker("skynet-broker", with({"--bind", "tcp://127.0.0.1:*"}));
    child_process worker("fibonacci-service", with({}));

    // Discovery through the registry, as the service user: the call gets through.
    run_result call;
    ASSERT_TRUE(eventually([&] {
        call = run_program("sky", {"--redis", service_url, "--region", "acl", "call", "fibonacci",
                                   "Index", R"({"n": 10})"});
        return call.status == 0;
    })) << call.err;
    EXPECT_NE(call.out.find("55"), std::string::npos) << call.out;

    // The viewer lists what runs, and may not steer it.
    auto listed = run_program("sky", {"--redis", viewer_url, "instances"});
    EXPECT_EQ(listed.status, 0) << listed.err;
    EXPECT_NE(listed.out.find("fibonacci"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("broker"), std::string::npos) << listed.out;
    auto steered =
        run_program("sky", {"--redis", viewer_url, "--service", "fibonacci", "unregister"});
    EXPECT_NE(steered.status, 0) << steered.out;
    EXPECT_TRUE(broker.running());
    EXPECT_TRUE(worker.running());
}

// A wrong password is an option to fix, not a registry to wait for: the
// usage status, and words that say so.
TEST(RedisAcl, AWrongPasswordIsTheUsageStatusAndSaysSo) {
    redis_server redis(acl_users);
    auto listed =
        run_program("sky", {"--redis", url_of(redis, "skynet-viewer", "wrong"), "instances"});
    EXPECT_EQ(listed.status, 2) << listed.err;
    EXPECT_NE(listed.err.find("refused the credentials of --redis"), std::string::npos)
        << listed.err;
    EXPECT_EQ(listed.err.find("wrong"), std::string::npos) << "the password is printed";
}

}  // namespace
}  // namespace skynet::testing
