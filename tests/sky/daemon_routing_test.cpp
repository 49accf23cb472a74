// Where sky's start/stop/restart/reset/undeploy go (skynet/sky/
// daemon_routing.hpp): managed instances to their daemon, unmanaged ones to
// the plain command or refused, stopped managed processes found in the
// daemons' lists, each process once.

#include "skynet/sky/daemon_routing.hpp"

#include <gtest/gtest.h>

#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace sky;

registry::instance daemon(std::string id, std::string host, std::string region = "eu") {
    registry::instance d;
    d.id = std::move(id);
    d.kind = registry::instance_kind::daemon;
    d.host = std::move(host);
    d.region = std::move(region);
    return d;
}

registry::instance managed(std::string id, std::string by, std::string host) {
    auto r = worker_record(std::move(id), "fib", "1.0", "eu", std::move(host));
    r.managed_by = std::move(by);
    return r;
}

daemon::process_row row(std::string id, std::string service, std::string state) {
    return {.id = std::move(id),
            .service = std::move(service),
            .state = daemon::parse_process_state(state).value()};
}

std::vector<std::string> process_ids(const route_plan& p) {
    std::vector<std::string> out;
    for (const auto& r : p.managed) {
        out.push_back(r.daemon_id + ">" + r.process_id);
    }
    return out;
}

TEST(DaemonRouting, ManagedInstancesGoToTheirDaemon) {
    std::vector<registry::instance> live{managed("svc-a", "d1", "h1"),
                                         worker_record("w-plain", "fib", "1.0", "eu", "h2"),
                                         daemon("d1", "h1")};
    std::vector<daemon_listing> listings{
        {daemon("d1", "h1"), {"h1", {row("svc-a", "fib", "running")}}}};
    auto plan = plan_routes(daemon_action::stop, {}, live, listings);
    EXPECT_EQ(process_ids(plan), std::vector<std::string>{"d1>svc-a"});  // once, not twice
    EXPECT_EQ(plan.managed.front().daemon_host, "h1");
    ASSERT_EQ(plan.plain.size(), 1U);
    EXPECT_EQ(plan.plain.front().id, "w-plain");
    EXPECT_TRUE(plan.refused.empty());
}

TEST(DaemonRouting, OnlyADaemonCanStartResetOrUndeploy) {
    std::vector<registry::instance> live{worker_record("w-plain", "fib", "1.0", "eu", "h2")};
    for (auto action : {daemon_action::start, daemon_action::reset, daemon_action::undeploy}) {
        auto plan = plan_routes(action, {}, live, {});
        EXPECT_TRUE(plan.plain.empty()) << to_string(action);
        ASSERT_EQ(plan.refused.size(), 1U);
        EXPECT_EQ(plan.refused.front(), "w-plain: not managed by a host daemon");
    }
    EXPECT_EQ(plan_routes(daemon_action::restart, {}, live, {}).plain.size(), 1U);
}

TEST(DaemonRouting, StoppedProcessesAreFoundInTheDaemonsLists) {
    std::vector<daemon_listing> listings{
        {daemon("d1", "h1"),
         {"h1", {row("svc-x", "fib", "stopped"), row("svc-y", "echo", "stopped")}}},
        {daemon("d2", "h2", "us"), {"h2", {row("svc-z", "fib", "crash-looping")}}}};
    filters f;
    f.service = "fib";
    auto plan = plan_routes(daemon_action::start, f, {}, listings);
    EXPECT_EQ(process_ids(plan), (std::vector<std::string>{"d1>svc-x", "d2>svc-z"}));
    f.region = "us";
    EXPECT_EQ(process_ids(plan_routes(daemon_action::reset, f, {}, listings)),
              std::vector<std::string>{"d2>svc-z"});
    // A version or registered=yes filter matches only live records.
    filters v;
    v.version = "1.0";
    EXPECT_TRUE(plan_routes(daemon_action::start, v, {}, listings).managed.empty());
}

TEST(DaemonRouting, IdsNameTheProcessesWhateverTheFilters) {
    std::vector<registry::instance> live{managed("svc-a", "d1", "h1"),
                                         worker_record("w-1", "fib", "1.0", "eu", "h2")};
    std::vector<daemon_listing> listings{
        {daemon("d1", "h1"),
         {"h1", {row("svc-a", "fib", "running"), row("svc-b", "fib", "stopped")}}}};
    auto plan = plan_routes(daemon_action::stop, {}, live, listings, {"svc-b", "w-1"});
    EXPECT_EQ(process_ids(plan), std::vector<std::string>{"d1>svc-b"});
    ASSERT_EQ(plan.plain.size(), 1U);
    EXPECT_EQ(plan.plain.front().id, "w-1");
}

TEST(DaemonRouting, RowsMatchFilters) {
    auto d = daemon("d1", "h1", "eu");
    auto r = row("svc-a", "fib", "stopped");
    filters none;
    EXPECT_TRUE(row_matches(none, r, d));
    filters host;
    host.host = "h2";
    EXPECT_FALSE(row_matches(host, r, d));
    filters kind;
    kind.kind = registry::instance_kind::broker;
    EXPECT_FALSE(row_matches(kind, r, d));
    filters unregistered;
    unregistered.registered = false;
    EXPECT_TRUE(row_matches(unregistered, r, d));
}

}  // namespace
}  // namespace skynet::testing
