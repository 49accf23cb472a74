// Typed calls: a user's own request and reply types through codec<T>, both
// ways, and a reply that does not decode ends BAD_REQUEST naming the field.
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

struct sum_request {
    std::int64_t a = 0;
    std::int64_t b = 0;
};
struct sum_reply {
    std::int64_t sum = 0;
};
struct wrong_reply {
    std::string total;
};

}  // namespace
}  // namespace skynet::testing

template <>
struct skynet::codec<skynet::testing::sum_request> {
    static bson_doc encode(const skynet::testing::sum_request& r) {
        bson_doc doc;
        doc.add_int64("a", r.a).add_int64("b", r.b);
        return doc;
    }
    static result<skynet::testing::sum_request> decode(const bson_view& doc) {
        auto a = doc.get_int64("a");
        auto b = doc.get_int64("b");
        if (!a || !b) {
            return error{errc::bad_request, "a or b missing"};
        }
        return skynet::testing::sum_request{*a, *b};
    }
};

template <>
struct skynet::codec<skynet::testing::sum_reply> {
    static bson_doc encode(const skynet::testing::sum_reply& r) {
        bson_doc doc;
        doc.add_int64("sum", r.sum);
        return doc;
    }
    static result<skynet::testing::sum_reply> decode(const bson_view& doc) {
        auto sum = doc.get_int64("sum");
        if (!sum) {
            return error{errc::bad_request, "field sum: missing"};
        }
        return skynet::testing::sum_reply{*sum};
    }
};

template <>
struct skynet::codec<skynet::testing::wrong_reply> {
    static bson_doc encode(const skynet::testing::wrong_reply&) { return bson_doc{}; }
    static result<skynet::testing::wrong_reply> decode(const bson_view& doc) {
        auto total = doc.get_string("total");
        if (!total) {
            return error{errc::bad_request, "field total: missing or not a string"};
        }
        return skynet::testing::wrong_reply{std::string(*total)};
    }
};

namespace skynet::testing {
namespace {

class TypedCall : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(wait_for_service(c_, "adder")); }
    running_broker broker_;
    client c_{fast_client_options(broker_.endpoint())};
    std::unique_ptr<worker> adder_ = start_adder(broker_.endpoint());
    call_options options_{.timeout = 30s};
};

TEST_F(TypedCall, ARequestAndItsReplyRoundTripAsUserTypes) {
    result<sum_reply> r =
        c_.call<sum_reply>("adder", "Add", sum_request{.a = 20, .b = 22}, options_);
    ASSERT_TRUE(r) << r.err().detail;
    EXPECT_EQ(r->sum, 42);
    EXPECT_EQ(c_.call<sum_reply>("adder", "Add", sum_request{.a = 1, .b = 2}).value().sum, 3);
}

TEST_F(TypedCall, AsyncAndFutureCallsAreTypedToo) {
    auto future = c_.call_future<sum_reply>("adder", "Add", sum_request{.a = 5, .b = 6}, options_);
    std::promise<std::int64_t> got;
    c_.call_async<sum_reply>("adder", "Add", sum_request{.a = 7, .b = 8}, options_,
                             [&got](result<sum_reply> r) { got.set_value(r ? r->sum : -1); });
    EXPECT_EQ(future.get().value().sum, 11);
    EXPECT_EQ(got.get_future().get(), 15);
}

TEST_F(TypedCall, AReplyThatDoesNotDecodeIsABadRequestNamingTheField) {
    auto r = c_.call<wrong_reply>("adder", "Add", sum_request{.a = 1, .b = 1}, options_);
    ASSERT_EQ(r.code(), errc::bad_request);
    EXPECT_NE(r.err().detail.find("adder.Add"), std::string::npos) << r.err().detail;
    EXPECT_NE(r.err().detail.find("total"), std::string::npos) << r.err().detail;
}

TEST_F(TypedCall, AFailedTypedCallKeepsItsBusError) {
    auto r = c_.call<sum_reply>("adder", "Missing", sum_request{}, options_);
    EXPECT_EQ(r.code(), errc::unknown_method);
}

}  // namespace
}  // namespace skynet::testing
