// The BSON wrappers: typed reads, JSON both ways, zero-copy frames, and views
// that stay valid when copied.
#include "skynet/bus/bson.hpp"

#include <gtest/gtest.h>

using skynet::bus::bson_doc;
using skynet::bus::bson_view;

namespace {

TEST(Bson, TypedReadsSeeWhatWasAdded) {
    bson_doc doc;
    doc.add_string("name", "fib")
        .add_int32("n", 20)
        .add_int64("big", 1LL << 40)
        .add_bool("flag", true)
        .add_double("ratio", 0.5);
    auto view = doc.view();
    EXPECT_EQ(view.get_string("name"), "fib");
    EXPECT_EQ(view.get_int32("n"), 20);
    EXPECT_EQ(view.get_int64("n"), 20);  // an int32 reads as int64 too
    EXPECT_EQ(view.get_int64("big"), 1LL << 40);
    EXPECT_EQ(view.get_bool("flag"), true);
    EXPECT_EQ(view.get_double("ratio"), 0.5);
    EXPECT_FALSE(view.get_string("n").has_value());  // wrong type: nothing
    EXPECT_FALSE(view.has("missing"));
}

TEST(Bson, ACopiedViewReadsTheSameBytes) {
    // A static bson_t points into itself; a view copied and the original gone
    // must still read correctly (this once crashed every call).
    bson_doc doc;
    doc.add_int64("n", 7);
    bson_view copy;
    {
        bson_view original = doc.view();
        copy = original;
    }
    bson_view again(copy);
    EXPECT_EQ(again.get_int64("n"), 7);
    EXPECT_EQ(again.data(), doc.view().data());
}

TEST(Bson, AnEmptyViewIsAnEmptyStringNotNull) {
    bson_doc doc;
    doc.add_string("empty", std::string_view{});
    EXPECT_EQ(doc.view().get_string("empty"), "");
}

TEST(Bson, JsonRoundTrips) {
    auto parsed = bson_doc::from_json(R"({"n": 20, "who": "me", "inner": {"ok": true}})");
    ASSERT_TRUE(parsed.ok()) << parsed.err().detail;
    auto view = parsed->view();
    EXPECT_EQ(view.get_int64("n"), 20);
    auto inner = view.get_document("inner");
    ASSERT_TRUE(inner.has_value());
    EXPECT_EQ(inner->get_bool("ok"), true);
    EXPECT_NE(view.to_json().find("\"who\" : \"me\""), std::string::npos);
}

TEST(Bson, MalformedJsonIsAnErrorNotAnException) {
    for (const char* json : {"", "{", "{\"n\": }", "[1,2", "not json"}) {
        auto parsed = bson_doc::from_json(json);
        EXPECT_FALSE(parsed.ok()) << json;
    }
}

TEST(Bson, ToFrameHandsOverTheBuffer) {
    bson_doc doc;
    doc.add_string("k", "v");
    auto size = doc.view().size();
    auto frame = std::move(doc).to_frame();
    EXPECT_EQ(frame.size(), size);
    auto view = bson_view::from_frame(frame);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->get_string("k"), "v");
}

TEST(Bson, BrokenDocumentsAreRefused) {
    bson_doc doc;
    doc.add_string("k", "value");
    std::string bytes(reinterpret_cast<const char*>(doc.view().data()), doc.view().size());

    std::string wrong_length = bytes;
    wrong_length[0] = static_cast<char>(bytes.size() + 4);
    EXPECT_FALSE(bson_view::from_bytes(wrong_length.data(), wrong_length.size()).ok());

    std::string no_terminator = bytes;
    no_terminator.back() = 'x';
    EXPECT_FALSE(bson_view::from_bytes(no_terminator.data(), no_terminator.size()).ok());

    std::string bad_string_length = bytes;
    bad_string_length[7] = 0x7f;  // the string's own length prefix
    auto view = bson_view::from_bytes(bad_string_length.data(), bad_string_length.size());
    if (view.ok()) {
        EXPECT_FALSE(view->validate().ok());
        EXPECT_FALSE(view->get_string("k").has_value());
    }
}

}  // namespace
