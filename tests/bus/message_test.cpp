// Message views: a plain body and a batch's records read the same way; a
// malformed batch hands on nothing; a kept message outlives its frames,
// sharing a batch's bytes rather than copying them, and views again as it
// came.
#include "skynet/bus/message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/frames_of.hpp"

namespace bus = skynet::bus;
namespace batch = skynet::bus::batch;

namespace {

struct seen {
    std::string route;
    std::vector<std::string> body;
    bool batched = false;
};

seen read(const bus::message_view& m) {
    seen s{std::string(m.route()), {}, m.batched()};
    for (std::size_t i = 0; i < m.size(); ++i) {
        s.body.emplace_back(m[i]);
    }
    return s;
}

using skynet::testing::frames_of;

zmq::message_t batch_of_two() {
    batch::writer w;
    auto a = frames_of({"header-a", "params-a"});
    auto b = frames_of({"header-b"});
    w.add("echo", a);
    w.add("fibonacci", b);
    return w.take();
}

TEST(MessageView, PlainBodyIsOneMessageUnderItsRoute) {
    auto body = frames_of({"h", "p"});
    std::vector<seen> got;
    auto n = bus::for_each_message("echo", body, false, [&](bus::message_view& m) {
        got.push_back(read(m));
        return true;
    });
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1u);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].route, "echo");
    EXPECT_EQ(got[0].body, (std::vector<std::string>{"h", "p"}));
    EXPECT_FALSE(got[0].batched);
}

TEST(MessageView, BatchRecordsReadLikePlainMessages) {
    bus::frames body;
    body.push_back(batch_of_two());
    std::vector<seen> got;
    auto n = bus::for_each_message("mmi.batch", body, true, [&](bus::message_view& m) {
        got.push_back(read(m));
        EXPECT_EQ(m.bytes(), m.size() == 2 ? 16u : 8u);
        return true;
    });
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 2u);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].route, "echo");
    EXPECT_EQ(got[0].body, (std::vector<std::string>{"header-a", "params-a"}));
    EXPECT_TRUE(got[0].batched);
    EXPECT_EQ(got[1].route, "fibonacci");
    EXPECT_EQ(got[1].body, (std::vector<std::string>{"header-b"}));
}

TEST(MessageView, HandlerStopsTheWalk) {
    bus::frames body;
    body.push_back(batch_of_two());
    int calls = 0;
    auto n = bus::for_each_message("mmi.batch", body, true, [&](bus::message_view&) {
        ++calls;
        return false;
    });
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1u);
    EXPECT_EQ(calls, 1);
}

TEST(MessageView, MalformedBatchHandsOnNothing) {
    auto whole = batch_of_two();
    std::string cut(bus::view_of(whole).substr(0, whole.size() - 3));
    bus::frames body;
    body.push_back(bus::frame_of(cut));
    int calls = 0;
    auto n = bus::for_each_message("mmi.batch", body, true, [&](bus::message_view&) {
        ++calls;
        return true;
    });
    ASSERT_FALSE(n);
    EXPECT_EQ(n.err().code, bus::errc::bad_request);
    EXPECT_NE(n.err().detail.find("batch record 1"), std::string::npos) << n.err().detail;
    EXPECT_EQ(calls, 0);

    auto two = frames_of({"a", "b"});
    auto m =
        bus::for_each_message("mmi.batch", two, true, [&](bus::message_view&) { return true; });
    ASSERT_FALSE(m);
    EXPECT_EQ(m.err().detail, "batch is not one frame");
}

TEST(MessageView, TakeMovesPlainFramesAndCopiesRecords) {
    auto body = frames_of({std::string(100, 'x')});
    const void* bytes = body[0].data();
    bus::message_view plain("echo", body);
    auto moved = plain.take(0);
    EXPECT_EQ(moved.data(), bytes);  // the same buffer: no copy

    bus::frames carrier;
    carrier.push_back(batch_of_two());
    auto n = bus::for_each_message("mmi.batch", carrier, true, [&](bus::message_view& m) {
        auto own = m.take(0);
        EXPECT_EQ(bus::view_of(own), m[0]);
        EXPECT_NE(own.data(), static_cast<const void*>(m[0].data()));
        return true;
    });
    EXPECT_TRUE(n);
}

TEST(KeptMessage, RecordSharesItsBatchAndOutlivesTheView) {
    bus::kept_message kept;
    {
        bus::frames body;
        body.push_back(batch_of_two());
        auto n = bus::for_each_message("mmi.batch", body, true, [&](bus::message_view& m) {
            if (m.route() == "echo") {
                kept.keep(m);
            }
            return true;
        });
        EXPECT_TRUE(n);
        // `body` goes: the kept record still holds the batch's bytes.
    }
    ASSERT_FALSE(kept.empty());
    auto again = kept.view("echo@1.0");
    auto s = read(again);
    EXPECT_EQ(s.route, "echo@1.0");
    EXPECT_EQ(s.body, (std::vector<std::string>{"header-a", "params-a"}));
    EXPECT_TRUE(s.batched);
    kept.clear();
    EXPECT_TRUE(kept.empty());
}

TEST(KeptMessage, PlainFramesAreMovedNotCopied) {
    auto body = frames_of({"header", std::string(100, 'p')});
    const void* params = body[1].data();
    bus::message_view view("echo", body);
    bus::kept_message moved;
    moved.keep(view);
    EXPECT_EQ(body[1].size(), 0u);                                              // moved out
    EXPECT_EQ(moved.view("echo")[1].data(), static_cast<const char*>(params));  // the same bytes
    auto m = read(moved.view("echo"));
    EXPECT_EQ(m.body[0], "header");
    EXPECT_FALSE(m.batched);
}

}  // namespace
