// The event hub alone: ids, replay after Last-Event-ID, the stream limit, and
// a stream that falls behind closed rather than waited for.

#include "event_hub.hpp"

#include <gtest/gtest.h>

namespace skynet::web {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> drain(stream_slot& slot) {
    return slot.queue().take(0ms).messages;
}

TEST(EventHubTest, ASnapshotThenDeltasWithIncreasingIds) {
    event_hub hub(4, 16, 8);
    hub.publish("services", "[]");
    auto slot = hub.open();
    ASSERT_TRUE(slot);
    EXPECT_FALSE(hub.attach(*slot, std::nullopt, [] { return std::string("{}"); }));
    hub.publish("log", "{\"n\":2}");
    const auto got = drain(*slot);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0], "id: 1\nevent: snapshot\ndata: {}\n\n");
    EXPECT_EQ(got[1], "id: 2\nevent: log\ndata: {\"n\":2}\n\n");
}

TEST(EventHubTest, LastEventIdReplaysWhatIsKeptElseASnapshot) {
    event_hub hub(4, 16, 3);
    for (int i = 0; i < 5; ++i) {
        hub.publish("services", std::to_string(i));
    }
    auto slot = hub.open();
    EXPECT_TRUE(hub.attach(*slot, 3, [] { return std::string("snap"); }));
    const auto replayed = drain(*slot);
    ASSERT_EQ(replayed.size(), 2u);  // ids 4 and 5
    EXPECT_TRUE(replayed[0].starts_with("id: 4\n"));
    auto old = hub.open();
    EXPECT_FALSE(hub.attach(*old, 1, [] { return std::string("snap"); }));  // 2 is gone
    EXPECT_EQ(drain(*old).at(0), "id: 5\nevent: snapshot\ndata: snap\n\n");
}

TEST(EventHubTest, PastTheLimitOpenRefusesAndAClosedSlotFreesItsPlace) {
    event_hub hub(2, 16, 8);
    auto a = hub.open();
    auto b = hub.open();
    EXPECT_TRUE(a && b);
    EXPECT_FALSE(hub.open());
    b.reset();
    EXPECT_TRUE(hub.open());
}

TEST(EventHubTest, AStreamThatFallsBehindIsClosedNotWaitedFor) {
    event_hub hub(2, 4, 8);
    auto slow = hub.open();
    hub.attach(*slow, std::nullopt, [] { return std::string("{}"); });
    for (int i = 0; i < 100; ++i) {
        hub.publish("services", "[]");  // nobody reads: must not block
    }
    EXPECT_TRUE(slow->queue().overflowed());
    EXPECT_TRUE(slow->queue().take(0ms).closed);
    EXPECT_EQ(hub.last_id(), 100u);
}

}  // namespace
}  // namespace skynet::web
