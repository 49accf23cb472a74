// A service started by a host daemon (issue 15): skyd sets SKYNET_INSTANCE_ID
// and SKYNET_MANAGED_BY, and the service registers under that id with
// managed_by set. A service SIGKILLed and started again under the same id
// replaces its old record: one record, registered, the new pid.

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"
#include "support/broker_fixture.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

const std::string managed_id = "svc-testhost-0123456789ab";
const std::string daemon_id = "daemon-testhost-1-abcdef";

// The variables skyd sets, for the children started while it lives. The
// test's own process never reads them.
class managed_environment {
public:
    managed_environment(const std::string& redis) {
        ::setenv("SKYNET_INSTANCE_ID", managed_id.c_str(), 1);
        ::setenv("SKYNET_MANAGED_BY", daemon_id.c_str(), 1);
        ::setenv("SKYNET_REDIS", redis.c_str(), 1);
        ::setenv("SKYNET_LEASE_MS", "1500", 1);
    }
    ~managed_environment() {
        for (const char* name :
             {"SKYNET_INSTANCE_ID", "SKYNET_MANAGED_BY", "SKYNET_REDIS", "SKYNET_LEASE_MS"}) {
            ::unsetenv(name);
        }
    }
};

// Every record the registry holds under the managed id.
std::vector<registry::instance> records_of(const std::string& url) {
    auto opts = registry::options_from_url(url);
    if (!opts) {
        return {};
    }
    auto c = registry::connection::open(*opts);
    if (!c) {
        return {};
    }
    auto all = c->find();
    std::vector<registry::instance> out;
    for (const auto& r : all.ok() ? *all : std::vector<registry::instance>{}) {
        if (r.id == managed_id) {
            out.push_back(r);
        }
    }
    return out;
}

bool registered_with_pid(const std::string& url, pid_t pid) {
    auto found = records_of(url);
    return found.size() == 1 && found.front().pid == pid && found.front().registered;
}

TEST(ManagedService, RegistersUnderTheIdItWasGiven) {
    redis_server redis;
    running_broker broker;
    managed_environment env(redis.url());
    child_process service("readme-service", {"--broker", broker.endpoint()});
    ASSERT_TRUE(eventually([&] { return registered_with_pid(redis.url(), service.pid()); }, 20s))
        << service.stderr_text();
    auto found = records_of(redis.url());
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found.front().managed_by, daemon_id);
    EXPECT_EQ(found.front().service, "greeter");
}

TEST(ManagedService, ARestartUnderTheSameIdReplacesTheRecord) {
    redis_server redis;
    running_broker broker;
    managed_environment env(redis.url());
    auto first = std::make_unique<child_process>(
        "readme-service", std::vector<std::string>{"--broker", broker.endpoint()});
    ASSERT_TRUE(eventually([&] { return registered_with_pid(redis.url(), first->pid()); }, 20s));
    first->signal(SIGKILL);
    ASSERT_TRUE(first->wait_exit(10s).has_value());
    first.reset();
    child_process second("readme-service", {"--broker", broker.endpoint()});
    ASSERT_TRUE(eventually([&] { return registered_with_pid(redis.url(), second.pid()); }, 20s))
        << second.stderr_text();
    auto found = records_of(redis.url());
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found.front().managed_by, daemon_id);
    EXPECT_TRUE(found.front().registered);
}

TEST(ManagedService, AnUnusableInstanceIdIsOneLineAndStatus2) {
    auto result = run_program("readme-service", {"--instance-id", "has/slash"});
    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_NE(result.err.find("instance_id"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace skynet::testing
