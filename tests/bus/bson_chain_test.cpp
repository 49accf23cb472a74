// Chained building on temporaries, and the view of a temporary that no
// longer compiles; JSON out of a document, relaxed and canonical.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "skynet/bus/bson.hpp"

using skynet::bson_array_builder;
using skynet::bson_doc;
using skynet::bson_view;

namespace {

// What a handler or a codec writes: a chain returned as is.
bson_doc make_reply(int n) {
    return bson_doc{}.add_string("who", "me").add_int32("n", n).add_array("xs", {1, 2});
}

// A view of a temporary would dangle at the end of the statement.
template <class T>
concept views_a_temporary = requires {
    std::declval<T>().view();
};
static_assert(!views_a_temporary<bson_doc>);
static_assert(!views_a_temporary<bson_doc&&>);
static_assert(views_a_temporary<bson_doc&>);
static_assert(views_a_temporary<const bson_doc&>);
static_assert(!views_a_temporary<bson_array_builder>);
// A chain on a named document stays a reference to it; on a temporary, the
// document itself.
static_assert(std::is_same_v<decltype(std::declval<bson_doc&>().add_int32("n", 1)), bson_doc&>);
static_assert(std::is_same_v<decltype(bson_doc{}.add_int32("n", 1)), bson_doc>);
static_assert(std::is_nothrow_move_constructible_v<bson_doc>);
static_assert(!std::is_copy_constructible_v<bson_doc>);

TEST(BsonChain, AChainOnATemporaryIsReturnedWhole) {
    auto reply = make_reply(7);
    auto view = reply.view();
    EXPECT_EQ(view.read_string("who").value(), "me");
    EXPECT_EQ(view.read_int32("n").value(), 7);
    EXPECT_EQ(view.read_array("xs").value().size(), 2u);
}

TEST(BsonChain, AChainOnATemporaryMovesIntoANamedDocument) {
    auto doc = bson_doc{}
                   .add_document_with("inner", [](bson_doc& d) { d.add_bool("ok", true); })
                   .add_array_with("list", [](bson_array_builder& a) { a.add("x"); })
                   .add_null("none")
                   .add_double("d", 1.5);
    EXPECT_EQ(doc.view().read_document("inner").value().read_bool("ok").value(), true);
    EXPECT_EQ(doc.view().read_double("d").value(), 1.5);
    const bson_doc& kept = bson_doc{}.add_int64("k", 5);  // lifetime extended: a value
    EXPECT_EQ(kept.view().read_int64("k").value(), 5);
}

TEST(BsonChain, AChainOnANamedDocumentAddsToIt) {
    bson_doc doc;
    doc.add_int32("a", 1).add_int32("b", 2);
    bson_doc& same = doc.add_int32("c", 3);
    EXPECT_EQ(&same, &doc);
    EXPECT_EQ(doc.view().read_int32("c").value(), 3);
    auto frame = make_reply(1).to_frame();  // straight into a frame
    EXPECT_EQ(bson_view::from_frame(frame).value().read_int32("n").value(), 1);
}

TEST(BsonChain, RelaxedJsonIsForPeopleCanonicalKeepsTypes) {
    auto doc = bson_doc{}.add_int64("id", 5).add_int32("n", 5).add_double("d", 2.0);
    EXPECT_EQ(doc.to_json(), R"({ "id" : 5, "n" : 5, "d" : 2.0 })");
    auto canonical = doc.to_canonical_json();
    auto back = bson_doc::from_json(canonical);
    ASSERT_TRUE(back.ok()) << back.err().detail;
    auto view = back->view();
    EXPECT_EQ(view.read("id").value().type(), BSON_TYPE_INT64);
    EXPECT_EQ(view.read("n").value().type(), BSON_TYPE_INT32);
    EXPECT_EQ(view.read("d").value().type(), BSON_TYPE_DOUBLE);
    // Relaxed JSON loses int64-ness for small values; canonical does not.
    auto relaxed = bson_doc::from_json(doc.to_json());
    ASSERT_TRUE(relaxed.ok());
    EXPECT_EQ(relaxed->view().read("id").value().type(), BSON_TYPE_INT32);
}

TEST(BsonChain, JsonInReadsArraysAndNestedDocuments) {
    auto parsed = bson_doc::from_json(R"({"tags": ["a", "b"], "in": {"xs": [1, 2.5, true]}})");
    ASSERT_TRUE(parsed.ok()) << parsed.err().detail;
    auto view = parsed->view();
    EXPECT_EQ(view.read_array("tags").value().values<std::string>().value(),
              (std::vector<std::string>{"a", "b"}));
    auto xs = view.read_document("in").value().read_array("xs");
    ASSERT_TRUE(xs.ok());
    EXPECT_EQ(xs->at(1).value().read_double().value(), 2.5);
    EXPECT_EQ(xs->at(2).value().read_bool().value(), true);
}

}  // namespace
