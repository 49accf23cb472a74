// /api/events against a real cluster: a snapshot then deltas, a SIGKILLed
// worker reported removed, Last-Event-ID replay, the stream limit, and
// Redis going away shown as a status, not as an empty cluster.

#include <csignal>

#include "sse_reader.hpp"
#include "web_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

bool is(const sse_event& e, const char* name) {
    return e.event == name;
}

TEST_F(WebTest, TheStreamSendsASnapshotThenTheRemovalOfAKilledWorker) {
    start_dashboard(dashboard_options());
    auto worker = start_worker("1000");
    const auto id = wait_for_worker("sleeper");
    ASSERT_FALSE(id.empty());

    sse_reader stream(port());
    auto first = stream.wait_for([](const sse_event&) { return true; });
    ASSERT_TRUE(first);
    const auto snapshot = stream.events()[*first];
    ASSERT_EQ(snapshot.event, "snapshot");
    const auto s = snapshot.json();
    EXPECT_EQ(s["redis"], "up");
    EXPECT_TRUE(s["services"].is_array() && s["events"].is_array() && s["brokers"].size() == 1);
    bool listed = false;
    for (const auto& r : s["instances"]) {
        listed = listed || r["id"] == id;
    }
    EXPECT_TRUE(listed) << snapshot.data;

    worker->signal(SIGKILL);  // its lease (1 s) or its broker's heartbeats tell
    auto removed = stream.wait_for([&](const sse_event& e) {
        const auto j = e.json();
        return is(e, "instance") && j["change"] == "removed" && j["id"] == id;
    });
    ASSERT_TRUE(removed) << "no removal of " << id;
    EXPECT_TRUE(stream.wait_for(
        [&](const sse_event& e) { return is(e, "log") && e.json()["kind"] == "removed"; }));
    // Ids increase by one after the snapshot's.
    const auto events = stream.events();
    for (std::size_t i = 1; i < events.size(); ++i) {
        EXPECT_EQ(events[i].id, events[i - 1].id + 1) << events[i].event;
    }
    EXPECT_TRUE(eventually([&] { return stream.pings() > 0; })) << "no : ping";
}

TEST_F(WebTest, ABrowserComingBackWithLastEventIdGetsTheDeltasItMissed) {
    start_dashboard(dashboard_options());
    std::uint64_t last = 0;
    {
        sse_reader stream(port());
        auto delta = stream.wait_for([](const sse_event& e) { return is(e, "services"); });
        ASSERT_TRUE(delta);
        last = stream.events()[*delta].id;
    }
    auto worker = start_worker();
    const auto id = wait_for_worker("sleeper");
    ASSERT_FALSE(id.empty());

    sse_reader back(port(), "/api/events", last);
    auto first = back.wait_for([](const sse_event&) { return true; });
    ASSERT_TRUE(first);
    const auto events = back.events();
    EXPECT_EQ(events[0].event, "services");  // a delta, not a snapshot
    EXPECT_EQ(events[0].id, last + 1);
    EXPECT_TRUE(back.wait_for([&](const sse_event& e) {
        return is(e, "instance") && e.json()["change"] == "added" && e.json()["id"] == id;
    })) << "the worker added meanwhile was not replayed";

    sse_reader lost(port(), "/api/events", 1'000'000'000);  // never given: a snapshot
    auto fresh = lost.wait_for([](const sse_event&) { return true; });
    ASSERT_TRUE(fresh);
    EXPECT_EQ(lost.events()[*fresh].event, "snapshot");
}

TEST_F(WebTest, OneStreamMoreThanTheLimitGets503AndAClosedOneFreesItsPlace) {
    start_dashboard(dashboard_options());  // max_streams 3
    std::vector<std::unique_ptr<sse_reader>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<sse_reader>(port()));
        ASSERT_TRUE(open.back()->wait_for([](const sse_event& e) { return is(e, "snapshot"); }));
    }
    auto [status, reply] = get("/api/events");
    EXPECT_EQ(status, 503);
    EXPECT_EQ(reply["error"], "too many streams");

    open.pop_back();  // a browser that goes away: its place is freed
    std::unique_ptr<sse_reader> again;
    EXPECT_TRUE(eventually([&] {
        again = std::make_unique<sse_reader>(port());
        return again->wait_for([](const sse_event& e) { return is(e, "snapshot"); }, 0, 2s)
            .has_value();
    })) << "the closed stream's place was never given back";
}

TEST_F(WebTest, RedisGoingAwayIsAStatusEventAndTheSnapshotSaysSo) {
    start_dashboard(dashboard_options());
    ASSERT_TRUE(eventually([&] {
        auto [status, list] = get("/api/instances?kind=broker");
        return status == 200 && list.size() == 1;
    }));
    sse_reader stream(port());
    ASSERT_TRUE(stream.wait_for([](const sse_event& e) {
        return (is(e, "snapshot") || is(e, "status")) && e.json()["redis"] == "up";
    }));

    redis_.stop();
    EXPECT_TRUE(stream.wait_for([](const sse_event& e) {
        return is(e, "status") && e.json()["redis"] == "down";
    })) << "no status event for Redis down";
    sse_reader later(port());
    auto first = later.wait_for([](const sse_event& e) { return is(e, "snapshot"); });
    ASSERT_TRUE(first);
    const auto snapshot = later.events()[*first].json();
    EXPECT_EQ(snapshot["redis"], "down");
    EXPECT_EQ(snapshot["brokers"].size(), 1u) << "the cluster as last seen, not an empty one";

    redis_.start();
    EXPECT_TRUE(stream.wait_for([](const sse_event& e) {
        return is(e, "status") && e.json()["redis"] == "up";
    })) << "no status event for Redis back";
}

}  // namespace
}  // namespace skynet::testing
