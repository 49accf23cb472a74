// Getters that tell a missing field from one of another type: read_* says
// which, get_* (kept) says nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "skynet/bus/bson.hpp"

using skynet::bson_doc;
using skynet::call_error;
using skynet::errc;

namespace {

bson_doc sample() {
    return bson_doc{}
        .add_string("name", "fib")
        .add_int32("n", 20)
        .add_int64("big", std::int64_t{1} << 40)
        .add_double("half", 0.5)
        .add_double("whole", 3.0)
        .add_bool("flag", true)
        .add_null("nothing")
        .add_document_with("inner", [](bson_doc& d) { d.add_string("who", "me"); });
}

TEST(BsonRead, PresentFieldsReadAsTheirValues) {
    auto doc = sample();
    auto view = doc.view();
    EXPECT_EQ(view.read_string("name").value(), "fib");
    EXPECT_EQ(view.read_int32("n").value(), 20);
    EXPECT_EQ(view.read_int64("n").value(), 20);     // int32 widens
    EXPECT_EQ(view.read_int64("whole").value(), 3);  // a whole double too
    EXPECT_EQ(view.read_double("n").value(), 20.0);
    EXPECT_EQ(view.read_bool("flag").value(), true);
    EXPECT_EQ(view.read_document("inner").value().read_string("who").value(), "me");
    EXPECT_TRUE(view.read("nothing").value().is_null());
}

TEST(BsonRead, MissingIsToldApartFromWrongType) {
    auto doc = sample();
    auto view = doc.view();
    auto missing = view.read_int64("count");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.code(), errc::bad_request);
    EXPECT_EQ(missing.err().detail, "missing field 'count'");

    auto wrong = view.read_int64("name");
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.code(), errc::bad_request);
    EXPECT_EQ(wrong.err().detail, "field 'name' is a string, not an int64");
}

TEST(BsonRead, EachMismatchSaysWhatItFound) {
    auto doc = sample();
    auto view = doc.view();
    EXPECT_EQ(view.read_string("n").err().detail, "field 'n' is an int32, not a string");
    EXPECT_EQ(view.read_int32("big").err().detail, "field 'big' is out of int32 range");
    EXPECT_EQ(view.read_int64("half").err().detail,
              "field 'half' is a double that is not a whole int64");
    EXPECT_EQ(view.read_bool("nothing").err().detail, "field 'nothing' is null, not a bool");
    EXPECT_EQ(view.read_document("flag").err().detail, "field 'flag' is a bool, not a document");
    EXPECT_EQ(view.read_array("inner").err().detail, "field 'inner' is a document, not an array");
    EXPECT_EQ(view.read_double("name").err().detail, "field 'name' is a string, not a double");
}

TEST(BsonRead, ValueOfAFailedReadThrowsTheError) {
    auto doc = sample();
    try {
        (void)doc.view().read_int64("count").value();
        FAIL() << "value() returned";
    } catch (const call_error& e) {
        EXPECT_EQ(e.code(), errc::bad_request);
        EXPECT_STREQ(e.what(), "BAD_REQUEST: missing field 'count'");
    }
    EXPECT_EQ(doc.view().read_int64("count").value_or(-1), -1);
}

TEST(BsonRead, TheOptionalGettersStayAsTheyWere) {
    auto doc = sample();
    auto view = doc.view();
    EXPECT_FALSE(view.get_int64("name").has_value());
    EXPECT_FALSE(view.get_int64("count").has_value());
    EXPECT_EQ(view.get_int64("n"), 20);
    EXPECT_FALSE(view.get_int32("big").has_value());
    EXPECT_EQ(view.get_string("name"), "fib");
}

TEST(BsonRead, TopLevelElementsIterateInOrder) {
    auto doc = sample();
    std::string keys;
    for (skynet::bson_element e : doc.view()) {
        keys += std::string(e.key()) + ":" + std::string(e.type_name()) + " ";
    }
    EXPECT_EQ(keys,
              "name:string n:int32 big:int64 half:double whole:double flag:bool nothing:null "
              "inner:document ");
}

}  // namespace
