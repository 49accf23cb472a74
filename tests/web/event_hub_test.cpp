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

// The id line of the `n`th event of a hub whose first id is `first` (ids
// start past an earlier run's, not at 1).
std::string id_line(std::uint64_t first, std::uint64_t n) {
    return "id: " + std::to_string(first + n - 1) + "\n";
}

TEST(EventHubTest, IdsStartPastAnEarlierRunsSoTheirLastEventIdsAreNotReplayed) {
    event_hub earlier(4, 16, 8);
    earlier.publish("services", "[]");
    for (int i = 0; i < 1000; ++i) {
        earlier.publish("services", "[]");  // a busy run
    }
    const auto earlier_last = earlier.last_id();
    // The later run starts in a later millisecond, as a restart does.
    const auto started = std::chrono::system_clock::now();
    while (std::chrono::system_clock::now() - started < 2ms) {
    }
    event_hub later(4, 16, 8);
    later.publish("services", "[]");
    EXPECT_GT(later.last_id(), earlier_last);
    auto slot = later.open();
    EXPECT_FALSE(later.attach(*slot, earlier_last, [] { return std::string("snap"); }));
    EXPECT_TRUE(drain(*slot).at(0).find("event: snapshot") != std::string::npos);
}

TEST(EventHubTest, ASnapshotThenDeltasWithIncreasingIds) {
    event_hub hub(4, 16, 8);
    hub.publish("services", "[]");
    const auto first = hub.last_id();
    auto slot = hub.open();
    ASSERT_TRUE(slot);
    EXPECT_FALSE(hub.attach(*slot, std::nullopt, [] { return std::string("{}"); }));
    hub.publish("log", "{\"n\":2}");
    const auto got = drain(*slot);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0], id_line(first, 1) + "event: snapshot\ndata: {}\n\n");
    EXPECT_EQ(got[1], id_line(first, 2) + "event: log\ndata: {\"n\":2}\n\n");
}

TEST(EventHubTest, LastEventIdReplaysWhatIsKeptElseASnapshot) {
    event_hub hub(4, 16, 3);
    hub.publish("services", "0");
    const auto first = hub.last_id();
    for (int i = 1; i < 5; ++i) {
        hub.publish("services", std::to_string(i));
    }
    auto slot = hub.open();
    EXPECT_TRUE(hub.attach(*slot, first + 2, [] { return std::string("snap"); }));
    const auto replayed = drain(*slot);
    ASSERT_EQ(replayed.size(), 2u);  // the 4th and 5th
    EXPECT_TRUE(replayed[0].starts_with(id_line(first, 4)));
    auto old = hub.open();
    // The 2nd is gone from the replay buffer: a snapshot.
    EXPECT_FALSE(hub.attach(*old, first, [] { return std::string("snap"); }));
    EXPECT_EQ(drain(*old).at(0), id_line(first, 5) + "event: snapshot\ndata: snap\n\n");
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
    const auto before = hub.last_id();
    for (int i = 0; i < 100; ++i) {
        hub.publish("services", "[]");  // nobody reads: must not block
    }
    EXPECT_TRUE(slow->queue().overflowed());
    EXPECT_TRUE(slow->queue().take(0ms).closed);
    EXPECT_EQ(hub.last_id(), before + 100);
}

}  // namespace
}  // namespace skynet::web
