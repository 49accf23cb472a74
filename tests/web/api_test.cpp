// The dashboard's JSON API against a real cluster: instances and their
// filters, actions (a malformed one refused, an unregister that takes
// effect), and the service figures counting the calls made.

#include <csignal>
#include <future>

#include "skynet/bus/bson.hpp"
#include "skynet/client/client.hpp"
#include "skynet/sky/call.hpp"
#include "support/sleeper_calls.hpp"
#include "web_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST_F(WebTest, InstancesListAStartedWorkerAndTheFiltersNarrowThem) {
    start_dashboard(dashboard_options());
    auto worker = start_worker();
    const auto id = wait_for_worker("sleeper");
    ASSERT_FALSE(id.empty());

    auto [status, all] = get("/api/instances");
    ASSERT_EQ(status, 200);
    ASSERT_EQ(all.size(), 2u) << all.dump();  // the broker and the worker
    auto [s1, brokers] = get("/api/instances?kind=broker");
    ASSERT_EQ(s1, 200);
    ASSERT_EQ(brokers.size(), 1u);
    EXPECT_EQ(brokers[0]["kind"], "broker");
    auto [s2, none] = get("/api/instances?service=nothing-here");
    EXPECT_EQ(s2, 200);
    EXPECT_TRUE(none.is_array() && none.empty()) << none.dump();
    auto [s3, region] = get("/api/instances?region=r&registered=yes&kind=worker");
    ASSERT_EQ(s3, 200);
    ASSERT_EQ(region.size(), 1u);
    EXPECT_EQ(region[0]["id"], id);
    EXPECT_TRUE(region[0].contains("restarts"));  // null: not managed by skyd
    EXPECT_TRUE(region[0]["process_state"].is_null());

    auto [s4, bad] = get("/api/instances?kind=toaster");
    EXPECT_EQ(s4, 400);
    EXPECT_TRUE(bad.contains("error")) << bad.dump();
    auto [s5, unknown] = get("/api/instances?colour=blue");
    EXPECT_EQ(s5, 400);
    EXPECT_TRUE(unknown.contains("error"));
    auto [s6, topology] = get("/api/topology");
    ASSERT_EQ(s6, 200);
    ASSERT_EQ(topology["regions"].size(), 1u);
    EXPECT_EQ(topology["regions"][0]["region"], "r");
}

TEST_F(WebTest, AMalformedActionGetsA400WithAJsonError) {
    start_dashboard(dashboard_options());
    for (const auto* body : {"not json", "[1,2]", R"({"action":"explode","ids":["a"]})",
                             R"({"action":"unregister"})", R"({"action":"stop","ids":[]})",
                             R"({"action":"stop","ids":[7]})", R"({"action":3,"ids":["a"]})"}) {
        auto [status, reply] = post("/api/actions", body);
        EXPECT_EQ(status, 400) << body;
        EXPECT_TRUE(reply.is_object() && reply["error"].is_string()) << body << " " << reply;
    }
    auto [status, reply] = get("/api/nowhere");
    EXPECT_EQ(status, 404);
    EXPECT_TRUE(reply.contains("error"));
}

TEST_F(WebTest, AnUnregisterActionTakesEffectInTheRegistry) {
    start_dashboard(dashboard_options());
    auto worker = start_worker("5000");
    const auto id = wait_for_worker("sleeper");
    ASSERT_FALSE(id.empty());

    auto [status, reply] =
        post("/api/actions", json{{"action", "unregister"}, {"ids", {id, "no-such-id"}}}.dump());
    ASSERT_EQ(status, 200) << reply;
    ASSERT_EQ(reply["results"].size(), 2u);
    EXPECT_EQ(reply["results"][0]["id"], id);
    EXPECT_TRUE(reply["results"][0]["ok"].get<bool>()) << reply;
    EXPECT_FALSE(reply["results"][1]["ok"].get<bool>());
    EXPECT_TRUE(eventually([&] {
        auto c = registry::connection::open(registry_options());
        auto r = c ? c->get(id) : bus::result<std::optional<registry::instance>>{bus::error{}};
        return r && r->has_value() && !(*r)->registered;
    })) << "the registry still has it registered";
    EXPECT_TRUE(eventually([&] {
        auto [s, list] = get("/api/instances?registered=no");
        return s == 200 && list.size() == 1 && list[0]["id"] == id;
    }));
    auto [s2, again] = post("/api/actions", json{{"action", "register"}, {"ids", {id}}}.dump());
    ASSERT_EQ(s2, 200);
    EXPECT_TRUE(again["results"][0]["ok"].get<bool>()) << again;
}

TEST_F(WebTest, RestartingAnUnmanagedWorkerCarriesSkysNote) {
    start_dashboard(dashboard_options());
    auto worker = start_worker("5000");
    const auto id = wait_for_worker("sleeper");
    ASSERT_FALSE(id.empty());
    auto [status, reply] = post("/api/actions", json{{"action", "restart"}, {"ids", {id}}}.dump());
    ASSERT_EQ(status, 200) << reply;
    ASSERT_EQ(reply["results"].size(), 1u);
    EXPECT_TRUE(reply["results"][0]["ok"].get<bool>()) << reply;
    EXPECT_NE(reply["results"][0]["text"].get<std::string>().find("not managed by skyd"),
              std::string::npos)
        << reply;
    EXPECT_TRUE(worker->wait_exit(15s).has_value()) << "told to restart, it should exit";
}

// Counts, not rates: the workers' own request counters, summed per service.
TEST_F(WebTest, ServicesCountEveryCallMade) {
    start_dashboard(dashboard_options());
    auto worker = start_worker();
    ASSERT_FALSE(wait_for_worker("sleeper").empty());
    const auto requests = [&]() -> std::int64_t {
        auto [status, list] = get("/api/services");
        for (const auto& s : list) {
            if (s["service"] == "sleeper") {
                return s["requests"].get<std::int64_t>();
            }
        }
        return -1;
    };
    ASSERT_TRUE(eventually([&] { return requests() >= 0; }));
    const auto before = requests();
    constexpr int calls = 25;
    bus::bson_doc params;
    params.add_int64("ms", 0);
    const std::vector<std::string> brokers{broker_endpoint_};
    sky::call_request request;
    request.service = "sleeper";
    for (int i = 0; i < calls; ++i) {
        auto reply = sky::call_through(brokers, request, "Sleep", params.view());
        ASSERT_TRUE(reply) << reply.err().detail;
    }
    EXPECT_TRUE(eventually([&] { return requests() == before + calls; }))
        << "requests went from " << before << " to " << requests();
    auto [status, list] = get("/api/services");
    ASSERT_EQ(status, 200);
    for (const auto& s : list) {
        if (s["service"] == "sleeper") {
            EXPECT_EQ(s["instances"], 1);
            EXPECT_EQ(s["errors"], 0);
            EXPECT_TRUE(s["rps_60s"].is_number());
            EXPECT_TRUE(s["history"].is_array());
        }
    }
}

// A worker told to stop while it holds a call says so in its record, and the
// dashboard shows it (the page draws a "draining" badge from this field).
TEST_F(WebTest, ADrainingWorkerIsListedAsDraining) {
    start_dashboard(dashboard_options());
    auto worker = start_worker("10000");
    const auto id = wait_for_worker("sleeper");
    ASSERT_FALSE(id.empty());
    auto [s0, before] = get("/api/instances?kind=worker");
    ASSERT_EQ(s0, 200);
    ASSERT_EQ(before.size(), 1U);
    EXPECT_EQ(before[0]["draining"], false);

    client_options options;
    options.brokers = {broker_endpoint_};
    client c(options);
    auto held = hold_sleeper_call(c, 4000, 30s);
    worker->signal(SIGTERM);
    EXPECT_TRUE(eventually([&] {
        auto [status, list] = get("/api/instances?kind=worker");
        return status == 200 && list.size() == 1 && list[0]["id"] == id &&
               list[0]["draining"] == true;
    }));
    auto outcome = held.get();
    EXPECT_TRUE(outcome.ok()) << bus::to_string(outcome.code()) << ": " << outcome.err().detail;
}

}  // namespace
}  // namespace skynet::testing
