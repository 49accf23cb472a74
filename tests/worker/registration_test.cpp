// One way to register a handler, whatever its shape: sync or async, typed
// or not, on the pool or the network thread; and the misuses registration
// refuses (an empty name, a second handler for a method, registering after
// start()).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {

// A user's types with hand-written codecs, as a service author would write them.
struct greet_in {
    std::string name;
    std::int64_t times = 1;
};
struct greet_out {
    std::string text;
};

}  // namespace skynet::testing

template <>
struct skynet::codec<skynet::testing::greet_in> {
    static bson_doc encode(const skynet::testing::greet_in& in) {
        return std::move(bson_doc{}.add_string("name", in.name).add_int64("times", in.times));
    }
    static result<skynet::testing::greet_in> decode(const bson_view& doc) {
        auto name = doc.get_string("name");
        if (!name) {
            return error{errc::bad_request, "field 'name' is missing or not a string"};
        }
        auto times = doc.get_int64("times");
        if (!times) {
            return error{errc::bad_request, "field 'times' is missing or not an int64"};
        }
        return skynet::testing::greet_in{std::string(*name), *times};
    }
};

template <>
struct skynet::codec<skynet::testing::greet_out> {
    static bson_doc encode(const skynet::testing::greet_out& out) {
        return std::move(bson_doc{}.add_string("text", out.text));
    }
    static result<skynet::testing::greet_out> decode(const bson_view& doc) {
        auto text = doc.get_string("text");
        if (!text) {
            return error{errc::bad_request, "field 'text' is missing or not a string"};
        }
        return skynet::testing::greet_out{std::string(*text)};
    }
};

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

greet_out greet(const greet_in& in) {
    greet_out out;
    for (std::int64_t i = 0; i < in.times; ++i) {
        out.text += "hello " + in.name + ";";
    }
    return out;
}

std::string refusal_of(auto&& attempt) {
    try {
        attempt();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

TEST(Registration, AnEmptyMethodNameIsRefused) {
    worker w(fast_worker_options("named", "tcp://127.0.0.1:1"));
    auto message = refusal_of([&] { w.handle("", [](const request&) { return bson_doc{}; }); });
    EXPECT_NE(message.find("empty"), std::string::npos) << message;
    message = refusal_of([&] { w.handle_async("", [](responder) {}); });
    EXPECT_NE(message.find("empty"), std::string::npos) << message;
}

TEST(Registration, ASecondHandlerForAMethodIsRefusedByName) {
    worker w(fast_worker_options("twice", "tcp://127.0.0.1:1"));
    w.handle("Hello", [](const request&) { return bson_doc{}; });
    // Whatever the second one's shape, the method is taken.
    auto message =
        refusal_of([&] { w.handle("Hello", [](const request&) { return bson_doc{}; }); });
    EXPECT_NE(message.find("\"Hello\""), std::string::npos) << message;
    message = refusal_of([&] {
        w.handle(
            "Hello", [](responder) {}, run_on::io_thread);
    });
    EXPECT_NE(message.find("\"Hello\""), std::string::npos) << message;
    message = refusal_of([&] { w.handle("Hello", [](const greet_in& in) { return greet(in); }); });
    EXPECT_NE(message.find("\"Hello\""), std::string::npos) << message;
    w.handle_raw([](std::span<const zmq::message_t>) { return bus::frames{}; });
    message = refusal_of(
        [&] { w.handle_raw([](std::span<const zmq::message_t>) { return bus::frames{}; }); });
    EXPECT_NE(message.find("raw"), std::string::npos) << message;
}

TEST(Registration, RegisteringAfterStartIsALogicError) {
    running_broker broker;
    worker w(fast_worker_options("late", broker.endpoint()));
    w.handle("Early", [](const request&) { return bson_doc{}; });
    w.start();
    try {
        w.handle("Late", [](const request&) { return bson_doc{}; });
        FAIL() << "no exception";
    } catch (const std::logic_error& e) {
        EXPECT_NE(std::string(e.what()).find("Late"), std::string::npos) << e.what();
    }
    EXPECT_THROW(w.handle_raw([](std::span<const zmq::message_t>) { return bus::frames{}; }),
                 std::logic_error);
}

class TypedHandlers : public ::testing::Test {
protected:
    void SetUp() override {
        w_ = std::make_unique<worker>(fast_worker_options("greeter", broker_.endpoint()));
    }
    void start() {
        w_->start();
        ASSERT_TRUE(wait_for_service(c_, "greeter"));
    }
    // The reply's text, or "CODE: detail" for an error.
    std::string call(const std::string& method, const bson_view& params) {
        auto outcome = c_.call("greeter", method, params);
        if (!outcome) {
            return std::string(bus::to_string(outcome.code())) + ": " + outcome.err().detail;
        }
        auto out = from_bson<greet_out>(outcome->result());
        return out ? out->text : "undecodable reply: " + out.err().detail;
    }

    running_broker broker_;
    client c_{fast_client_options(broker_.endpoint())};
    std::unique_ptr<worker> w_;
};

TEST_F(TypedHandlers, EveryShapeRoundTrips) {
    // Stated types, the request beside the value.
    w_->handle<greet_in, greet_out>("Stated",
                                    [](const greet_in& in, const request& req) -> greet_out {
                                        EXPECT_EQ(req.method(), "Stated");
                                        return greet(in);
                                    });
    // Deduced from the callable, with and without the request.
    w_->handle("Deduced", [](const greet_in& in) { return greet(in); });
    w_->handle(
        "Inline", [](const greet_in& in, const request&) { return greet(in); }, run_on::io_thread);
    // A result<T>: an error is the reply.
    w_->handle("Checked", [](const greet_in& in) -> result<greet_out> {
        if (in.times < 0) {
            return error{errc::unauthorized, "no negative greetings"};
        }
        return greet(in);
    });
    // Async, typed, answered later from another thread.
    w_->handle(
        "Later",
        [](const greet_in& in, responder answer) {
            std::thread([in, answer = std::move(answer)]() mutable {
                answer.reply(greet(in));
            }).detach();
        },
        run_on::io_thread);
    // Async on the pool, untyped.
    w_->handle("Pooled", [](responder answer) {
        answer.reply(greet_out{"pooled " + std::string(answer.request().method())});
    });
    start();
    const auto params = to_bson(greet_in{"ann", 2});
    for (const char* method : {"Stated", "Deduced", "Inline", "Checked", "Later"}) {
        EXPECT_EQ(call(method, params.view()), "hello ann;hello ann;") << method;
    }
    EXPECT_EQ(call("Pooled", bson_view{}), "pooled Pooled");
    const auto negative = to_bson(greet_in{"ann", -1});
    EXPECT_EQ(call("Checked", negative.view()), "UNAUTHORIZED: no negative greetings");
}

TEST_F(TypedHandlers, ParamsThatDoNotDecodeAreABadRequestNamingTheField) {
    std::atomic<int> runs{0};
    w_->handle("Sync", [&](const greet_in& in) {
        ++runs;
        return greet(in);
    });
    w_->handle(
        "Async",
        [&](const greet_in& in, responder answer) {
            ++runs;
            answer.reply(greet(in));
        },
        run_on::io_thread);
    start();
    // "times" is there, but as a string.
    auto wrong_type = std::move(bson_doc{}.add_string("name", "ann").add_string("times", "two"));
    auto missing = std::move(bson_doc{}.add_int64("times", 1));
    for (const char* method : {"Sync", "Async"}) {
        auto outcome = call(method, wrong_type.view());
        EXPECT_EQ(outcome.rfind("BAD_REQUEST: ", 0), 0u) << outcome;
        EXPECT_NE(outcome.find("'times'"), std::string::npos) << outcome;
        outcome = call(method, missing.view());
        EXPECT_EQ(outcome.rfind("BAD_REQUEST: ", 0), 0u) << outcome;
        EXPECT_NE(outcome.find("'name'"), std::string::npos) << outcome;
    }
    EXPECT_EQ(runs, 0);
    const auto bo = to_bson(greet_in{"bo", 1});
    EXPECT_EQ(call("Sync", bo.view()), "hello bo;");
    EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace skynet::testing
