// BSON and nlohmann::json both ways: types kept, nesting, the limits of
// what either side can hold, and corrupt documents as errors.
#include "skynet/bus/json.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

using nlohmann::json;
using skynet::bson_array_builder;
using skynet::bson_doc;
using skynet::bson_view;
using skynet::errc;

namespace {

TEST(Json, BsonToJsonKeepsTypesAndNesting) {
    auto doc =
        bson_doc{}
            .add_int32("i", 7)
            .add_int64("big", (std::int64_t{1} << 53) + 1)
            .add_double("d", 2.0)
            .add_bool("b", true)
            .add_null("z")
            .add_string("s", "text")
            .add_array_with("list", [](bson_array_builder& a) {
                a.add(1).add("two").add_array_with([](bson_array_builder& b) { b.add(3.5); });
                a.add_document_with([](bson_doc& d) { d.add_int32("x", 4); });
            });
    json j = skynet::to_json(doc.view());
    EXPECT_EQ(j, json::parse(R"({"i": 7, "big": 9007199254740993, "d": 2.0, "b": true,
                                 "z": null, "s": "text", "list": [1, "two", [3.5], {"x": 4}]})"));
    EXPECT_TRUE(j["i"].is_number_integer());
    EXPECT_EQ(j["big"].get<std::int64_t>(), (std::int64_t{1} << 53) + 1);  // exact
    EXPECT_TRUE(j["d"].is_number_float());
}

TEST(Json, JsonToBsonPicksInt32OrInt64ByRange) {
    auto doc = skynet::from_json(json{{"small", 5},
                                      {"big", std::int64_t{1} << 53},
                                      {"huge", std::numeric_limits<std::int64_t>::max()},
                                      {"neg", std::numeric_limits<std::int64_t>::min()},
                                      {"unsigned", 4000000000u},
                                      {"d", 0.5}});
    ASSERT_TRUE(doc.ok()) << doc.err().detail;
    auto view = doc->view();
    EXPECT_EQ(view.read("small").value().type(), BSON_TYPE_INT32);
    EXPECT_EQ(view.read("big").value().type(), BSON_TYPE_INT64);
    EXPECT_EQ(view.read_int64("big").value(), std::int64_t{1} << 53);
    EXPECT_EQ(view.read_int64("huge").value(), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(view.read_int64("neg").value(), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(view.read_int64("unsigned").value(), 4000000000LL);
    EXPECT_EQ(view.read("d").value().type(), BSON_TYPE_DOUBLE);
}

TEST(Json, NestedArraysAndObjectsRoundTrip) {
    auto original = json::parse(R"({"a": [[1, 2], [], [{"b": [true, null, "x"]}]],
                                    "o": {"p": {"q": {"r": -1.25}}}, "e": {}, "s": ""})");
    auto doc = skynet::from_json(original);
    ASSERT_TRUE(doc.ok()) << doc.err().detail;
    auto outer = doc->view().read_array("a").value();
    auto third = outer.at(2).value().read_array().value();
    auto b = third.at(0).value().read_document().value().read_array("b").value();
    EXPECT_EQ(b.at(2).value().read_string().value(), "x");
    EXPECT_EQ(skynet::to_json(doc->view()), original);
}

TEST(Json, WhatBsonCannotHoldIsABadRequestNamingIt) {
    auto not_object = skynet::from_json(json::array({1, 2}));
    ASSERT_FALSE(not_object.ok());
    EXPECT_EQ(not_object.code(), errc::bad_request);
    EXPECT_EQ(not_object.err().detail, "JSON is array, not an object");

    auto too_big = skynet::from_json(json{{"n", std::numeric_limits<std::uint64_t>::max()}});
    ASSERT_FALSE(too_big.ok());
    EXPECT_NE(too_big.err().detail.find("field 'n'"), std::string::npos) << too_big.err().detail;

    json nul_key;
    nul_key[std::string("a\0b", 3)] = 1;
    EXPECT_FALSE(skynet::from_json(nul_key).ok());
}

TEST(Json, DeepNestingIsRefusedBothWays) {
    json deep = 1;
    for (int i = 0; i < 150; ++i) {
        deep = json{{"x", deep}};
    }
    auto doc = skynet::from_json(deep);
    ASSERT_FALSE(doc.ok());
    EXPECT_NE(doc.err().detail.find("nested deeper"), std::string::npos);

    bson_doc nested = bson_doc{}.add_int32("x", 1);
    for (int i = 0; i < 150; ++i) {
        nested = bson_doc{}.add_document("x", nested);
    }
    auto back = skynet::try_to_json(nested.view());
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.code(), errc::bad_request);
    EXPECT_THROW((void)skynet::to_json(nested.view()), skynet::call_error);
}

TEST(Json, OtherBsonTypesBecomeExtendedJson) {
    bson_doc doc;
    bson_append_date_time(doc.get(), "when", -1, 1700000000000);
    const std::uint8_t raw[] = {1, 2, 3};
    bson_append_binary(doc.get(), "bytes", -1, BSON_SUBTYPE_BINARY, raw, sizeof raw);
    json j = skynet::to_json(doc.view());
    EXPECT_EQ(j["when"], json::parse(R"({"$date": {"$numberLong": "1700000000000"}})"));
    ASSERT_TRUE(j["bytes"].is_binary());
    const std::vector<std::uint8_t>& bytes = j["bytes"].get_binary();
    EXPECT_EQ(bytes, (std::vector<std::uint8_t>{1, 2, 3}));
    auto back = skynet::from_json(j);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->view().read("bytes").value().type(), BSON_TYPE_BINARY);
}

TEST(Json, CorruptDocumentsAreErrorsNotReadsPastTheEnd) {
    auto doc = bson_doc{}.add_string("k", "value").add_array("xs", {1, 2});
    const auto size = doc.view().size();
    int refused = 0;
    for (std::size_t i = 4; i + 1 < size; ++i) {
        for (std::uint8_t value : {0x00, 0x02, 0x7f, 0xc3, 0xff}) {
            auto copy = std::make_unique<std::uint8_t[]>(size);
            std::copy(doc.view().data(), doc.view().data() + size, copy.get());
            copy[i] = value;
            auto view = bson_view::from_bytes(copy.get(), size);
            ASSERT_TRUE(view.ok());  // the outer length and terminator are intact
            auto converted = skynet::try_to_json(*view);
            refused += converted.ok() ? 0 : 1;
            if (converted.ok()) {
                EXPECT_NO_THROW((void)converted->dump());  // valid UTF-8 all through
            }
        }
    }
    EXPECT_GT(refused, 0);
}

}  // namespace
