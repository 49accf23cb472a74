// Arrays both ways: appended from lists, ranges and builders, read back
// through bson_array_view element by element or all at once.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "skynet/bus/bson.hpp"

using skynet::bson_array_builder;
using skynet::bson_array_view;
using skynet::bson_doc;
using skynet::bson_element;
using skynet::errc;

namespace {

TEST(BsonArray, ListsOfEachTypeRoundTrip) {
    bson_doc doc;
    doc.add_array("names", {"ada", "bob"})
        .add_array("small", {1, 2, 3})
        .add_array("ratios", {0.5, 1.5})
        .add_array("flags", {true, false})
        .add_array("big", std::vector<std::int64_t>{1LL << 40, -(1LL << 53) - 1});
    auto view = doc.view();
    EXPECT_EQ(view.read_array("names").value().values<std::string>().value(),
              (std::vector<std::string>{"ada", "bob"}));
    EXPECT_EQ(view.read_array("small").value().values<std::int32_t>().value(),
              (std::vector<std::int32_t>{1, 2, 3}));
    EXPECT_EQ(view.read_array("ratios").value().values<double>().value(),
              (std::vector<double>{0.5, 1.5}));
    EXPECT_EQ(view.read_array("flags").value().values<bool>().value(),
              (std::vector<bool>{true, false}));
    EXPECT_EQ(view.read_array("big").value().values<std::int64_t>().value(),
              (std::vector<std::int64_t>{1LL << 40, -(1LL << 53) - 1}));
    EXPECT_EQ(view.read_array("small").value().size(), 3u);
}

TEST(BsonArray, ElementsKeepTheirBsonTypes) {
    bson_doc doc;
    doc.add_array("mixed", std::vector<std::int64_t>{7});
    doc.add_array("narrow", {7});
    auto mixed = doc.view().read_array("mixed");
    ASSERT_TRUE(mixed.ok());
    EXPECT_EQ((*mixed->begin()).type(), BSON_TYPE_INT64);
    EXPECT_EQ((*doc.view().read_array("narrow").value().begin()).type(), BSON_TYPE_INT32);
}

TEST(BsonArray, ABuilderMakesArraysOfDocumentsAndArrays) {
    bson_doc second = bson_doc{}.add_int32("x", 3).add_int32("y", 4);
    bson_doc doc;
    doc.add_array_with("points", [&](bson_array_builder& a) {
        a.add_document_with([](bson_doc& p) { p.add_int32("x", 1).add_int32("y", 2); });
        a.add(second);
        a.add_array_with([](bson_array_builder& inner) { inner.add("deep").add(9); });
        a.add_null();
    });
    auto points = doc.view().read_array("points");
    ASSERT_TRUE(points.ok()) << points.err().detail;
    std::vector<bson_element> elements;
    for (bson_element e : *points) {
        elements.push_back(e);
    }
    ASSERT_EQ(elements.size(), 4u);
    EXPECT_EQ(elements[0].read_document().value().read_int32("y").value(), 2);
    EXPECT_EQ(elements[1].read_document().value().read_int32("x").value(), 3);
    auto inner = elements[2].read_array();
    ASSERT_TRUE(inner.ok());
    EXPECT_EQ(inner->at(0).value().read_string().value(), "deep");
    EXPECT_EQ(inner->at(1).value().read_int64().value(), 9);
    EXPECT_TRUE(elements[3].is_null());
}

TEST(BsonArray, ADocumentArrayReadsAsViews) {
    std::vector<bson_doc> docs;
    docs.push_back(bson_doc{}.add_string("name", "a"));
    docs.push_back(bson_doc{}.add_string("name", "b"));
    bson_doc doc;
    doc.add_array("docs", docs);
    auto views = doc.view().read_array("docs").value().values<skynet::bson_view>();
    ASSERT_TRUE(views.ok());
    ASSERT_EQ(views->size(), 2u);
    EXPECT_EQ((*views)[1].read_string("name").value(), "b");
}

TEST(BsonArray, AnArrayReadElsewhereCopiesIntoAnotherDocument) {
    bson_doc source;
    source.add_array("tags", {"x", "y"});
    bson_doc copy = bson_doc{}.add_array("again", *source.view().get_array("tags"));
    EXPECT_EQ(copy.view().read_array("again").value().values<std::string_view>().value(),
              (std::vector<std::string_view>{"x", "y"}));
}

TEST(BsonArray, AnElementOfTheWrongTypeIsNamedWithItsIndex) {
    bson_doc doc;
    doc.add_array_with("tags", [](bson_array_builder& a) { a.add("one").add(2); });
    auto tags = doc.view().read_array("tags");
    ASSERT_TRUE(tags.ok());
    auto strings = tags->values<std::string>();
    ASSERT_FALSE(strings.ok());
    EXPECT_EQ(strings.code(), errc::bad_request);
    EXPECT_EQ(strings.err().detail, "field 'tags[1]' is an int32, not a string");
    auto beyond = tags->at(5);
    ASSERT_FALSE(beyond.ok());
    EXPECT_EQ(beyond.err().detail, "field 'tags' has 2 elements, no [5]");
}

TEST(BsonArray, EmptyArraysAndMissingArrays) {
    bson_doc doc;
    doc.add_array("none", std::vector<std::string>{});
    auto none = doc.view().read_array("none");
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    EXPECT_EQ(none->size(), 0u);
    EXPECT_TRUE(none->values<bool>().value().empty());
    EXPECT_EQ(doc.view().read_array("other").err().detail, "missing field 'other'");
    EXPECT_FALSE(doc.view().get_array("other").has_value());
}

TEST(BsonArray, UnsignedBeyondInt64IsRefusedNotWrapped) {
    bson_array_builder a;
    EXPECT_THROW(a.add(std::uint64_t{1} << 63), std::out_of_range);
    a.add(std::uint64_t{1} << 62).add(std::uint32_t{4000000000u});
    bson_doc doc;
    doc.add_array("n", a);
    EXPECT_EQ(doc.view().read_array("n").value().values<std::int64_t>().value(),
              (std::vector<std::int64_t>{std::int64_t{1} << 62, 4000000000LL}));
}

}  // namespace
