// codec<T> through nlohmann-json: user structs with
// NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE to a document and back, and decode
// errors that name the field.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "skynet/bus/json.hpp"

using nlohmann::json;
using skynet::bson_doc;
using skynet::errc;

namespace shop {

struct item {
    std::string name;
    std::int64_t id = 0;
    double price = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(item, name, id, price)

struct order {
    std::string customer;
    std::vector<item> items;
    std::vector<std::string> notes;
    bool paid = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(order, customer, items, notes, paid)

struct not_an_object {
    int n = 0;
};
inline void to_json(json& j, const not_an_object& v) {
    j = v.n;
}
inline void from_json(const json& j, not_an_object& v) {
    v.n = j.get<int>();
}

}  // namespace shop

namespace {

static_assert(skynet::bson_codable<shop::item>);
static_assert(skynet::bson_codable<shop::order>);
static_assert(skynet::bson_codable<json>);
static_assert(skynet::bson_codable<bson_doc>);
static_assert(!skynet::bson_codable<int>);  // not a document: no codec
static_assert(!skynet::bson_codable<std::string>);
static_assert(!skynet::bson_codable<std::vector<shop::item>>);

TEST(JsonCodec, AUserStructRoundTripsThroughBson) {
    shop::order in{
        "ada", {{"tea", (std::int64_t{1} << 53) + 1, 2.5}, {"cake", -3, 4.0}}, {"no sugar"}, true};
    bson_doc doc = skynet::to_bson(in);
    auto view = doc.view();
    EXPECT_EQ(view.read_string("customer").value(), "ada");
    EXPECT_EQ(view.read_array("items")
                  .value()
                  .at(0)
                  .value()
                  .read_document()
                  .value()
                  .read_int64("id")
                  .value(),
              (std::int64_t{1} << 53) + 1);

    auto out = skynet::from_bson<shop::order>(view);
    ASSERT_TRUE(out.ok()) << out.err().detail;
    EXPECT_EQ(out->customer, "ada");
    ASSERT_EQ(out->items.size(), 2u);
    EXPECT_EQ(out->items[0].id, (std::int64_t{1} << 53) + 1);  // beyond 2^53, exact
    EXPECT_EQ(out->items[1].price, 4.0);
    EXPECT_EQ(out->notes, std::vector<std::string>{"no sugar"});
    EXPECT_TRUE(out->paid);
}

TEST(JsonCodec, AMissingFieldIsABadRequestNamingIt) {
    auto doc = bson_doc{}.add_string("name", "tea").add_double("price", 1.0);
    auto out = skynet::from_bson<shop::item>(doc.view());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.code(), errc::bad_request);
    EXPECT_EQ(out.err().detail, "missing field 'id'");
}

TEST(JsonCodec, AWrongTypeIsABadRequestNamingTheField) {
    auto doc =
        bson_doc{}.add_string("name", "tea").add_string("id", "seven").add_double("price", 1.0);
    auto out = skynet::from_bson<shop::item>(doc.view());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.code(), errc::bad_request);
    EXPECT_EQ(out.err().detail, "field 'id' is a string, not a number");

    auto nested =
        bson_doc{}
            .add_string("customer", "bob")
            .add_array_with(
                "items",
                [](skynet::bson_array_builder& a) {
                    a.add_document_with([](bson_doc& i) {
                        i.add_string("name", "x").add_int32("id", 1).add_bool("price", true);
                    });
                })
            .add_array("notes", std::vector<std::string>{})
            .add_bool("paid", false);
    auto order = skynet::from_bson<shop::order>(nested.view());
    ASSERT_FALSE(order.ok());
    EXPECT_EQ(order.code(), errc::bad_request);
    EXPECT_NE(order.err().detail.find("items[0].price"), std::string::npos) << order.err().detail;
}

TEST(JsonCodec, DecodeNeverThrowsOnAnyDocument) {
    for (const char* text : {"{}", R"({"name": 1})", R"({"name": "x", "id": 1.5e300})",
                             R"({"name": null, "id": null, "price": null})"}) {
        auto doc = bson_doc::from_json(text);
        ASSERT_TRUE(doc.ok()) << text;
        auto out = skynet::from_bson<shop::item>(doc->view());
        EXPECT_FALSE(out.ok()) << text;
        EXPECT_EQ(out.code(), errc::bad_request) << text;
    }
}

TEST(JsonCodec, JsonItselfIsCodable) {
    json in = {{"n", 1}, {"list", {1, "a", nullptr}}};
    auto doc = skynet::to_bson(in);
    auto out = skynet::from_bson<json>(doc.view());
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, in);
    EXPECT_THROW((void)skynet::to_bson(json::array({1})), skynet::call_error);
}

TEST(JsonCodec, ATypeWhoseJsonIsNotAnObjectFailsToEncodeLoudly) {
    static_assert(skynet::bson_codable<shop::not_an_object>);  // a class: cannot tell
    try {
        (void)skynet::to_bson(shop::not_an_object{3});
        FAIL() << "encoded a number as a document";
    } catch (const skynet::call_error& e) {
        EXPECT_EQ(e.code(), errc::bad_request);
        EXPECT_STREQ(e.what(), "BAD_REQUEST: JSON is number, not an object");
    }
}

}  // namespace
