// A handler calls another service in one line, through the worker's own
// client (request::client()), and the request's deadline and identity
// follow the call; stopping a worker whose handlers still wait on such a
// call ends without a hang.
#include <gtest/gtest.h>

#include <future>
#include <memory>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// The inner answer as the outer handler passes it on, beside its own id.
bson_doc relay(const request& req, const call_result& inner) {
    bson_doc out;
    out.add_string("my_id", req.request_id());
    if (!inner) {
        out.add_string("error", inner.err().detail);
        return out;
    }
    const auto result = inner->result();
    out.add_string("inner_parent", result.get_string("parent").value_or(""));
    out.add_int64("inner_remaining_ms", result.get_int64("remaining_ms").value_or(-1));
    return out;
}

class NestedCalls : public ::testing::Test {
protected:
    void SetUp() override {
        inner_.handle("Report", [](const request& req) {
            bson_doc result;
            result.add_string("parent", req.parent());
            result.add_int64("remaining_ms", req.remaining().count());
            return result;
        });
        inner_.handle("Hold", [this](const request& req) {
            hold_.wait(req.deadline());
            return bson_doc{};
        });
        inner_.start();
        ASSERT_TRUE(wait_for_service(c_, "inner"));
    }
    void TearDown() override { hold_.open(); }

    // Calls outer.method with a 5 s budget and checks that the inner call
    // named the outer request as parent and kept within that budget.
    void expect_inherited(const std::string& method) {
        call_options options;
        options.timeout = 5s;
        auto outcome = c_.call("outer", method, bson_view{}, options);
        ASSERT_TRUE(outcome.ok()) << method << ": " << outcome.err().detail;
        auto result = outcome->result();
        EXPECT_FALSE(result.has("error")) << method << ": " << result.to_json();
        EXPECT_EQ(result.get_string("inner_parent"), result.get_string("my_id")) << method;
        EXPECT_GT(result.get_int64("inner_remaining_ms").value_or(-1), 0) << method;
        EXPECT_LE(result.get_int64("inner_remaining_ms").value_or(99999), 5000) << method;
    }

    running_broker broker_;
    client c_{fast_client_options(broker_.endpoint())};
    worker inner_{fast_worker_options("inner", broker_.endpoint())};
    gate hold_;
};

TEST_F(NestedCalls, ASyncHandlerCallsInOneLineAndTheDeadlineFollows) {
    worker outer(fast_worker_options("outer", broker_.endpoint()));
    outer.handle("Relay", [](const request& req) {
        return relay(req, req.call("inner", "Report", bson_view{}));
    });
    // More time asked than the parent has: the parent's budget wins.
    outer.handle("Longer", [](const request& req) {
        auto options = req.call_options();
        options.timeout = 60s;
        return relay(req, req.client().call("inner", "Report", bson_view{}, options));
    });
    outer.start();
    ASSERT_TRUE(wait_for_service(c_, "outer"));
    expect_inherited("Relay");
    expect_inherited("Longer");
}

TEST_F(NestedCalls, AnAsyncHandlerCallsWithoutHoldingAThread) {
    worker outer(fast_worker_options("outer", broker_.endpoint()));
    outer.handle(
        "Relay",
        [](responder answer) {
            // Taken before the responder moves into the callback, and its
            // request with it.
            auto options = answer.request().call_options();
            auto& bus = answer.request().client();
            bus.call_async("inner", "Report", bson_view{}, options,
                           [answer = std::move(answer)](call_result r) mutable {
                               answer.reply(relay(answer.request(), r));
                           });
        },
        run_on::io_thread);
    outer.start();
    ASSERT_TRUE(wait_for_service(c_, "outer"));
    expect_inherited("Relay");
}

TEST_F(NestedCalls, TheWorkersContextIsTheOneItWasGiven) {
    auto context = std::make_shared<zmq::context_t>(1);
    auto options = fast_worker_options("outer", broker_.endpoint());
    options.context = context;
    worker outer(options);
    EXPECT_EQ(outer.options().context, context);
    worker own(fast_worker_options("outer", broker_.endpoint()));
    EXPECT_NE(own.options().context, nullptr);  // made once, for the worker and its client
}

// The outer worker stops while its handler waits on a nested call that will
// not end by itself: the stop completes (the drain times out, the nested
// client is closed), and the caller gets an outcome.
TEST_F(NestedCalls, StoppingWhileANestedCallWaitsDoesNotHang) {
    auto settings = fast_worker_options("outer", broker_.endpoint());
    settings.drain_timeout = scaled(200ms);
    auto outer = std::make_unique<worker>(settings);
    outer->handle(
        "Wait",
        [](responder answer) {
            auto options = answer.request().call_options();
            auto& bus = answer.request().client();
            bus.call_async("inner", "Hold", bson_view{}, options,
                           [answer = std::move(answer)](call_result r) mutable {
                               answer.complete(r ? bus::result<bson_doc>(bson_doc{})
                                                 : bus::result<bson_doc>(r.err()));
                           });
        },
        run_on::io_thread);
    outer->start();
    ASSERT_TRUE(wait_for_service(c_, "outer"));
    call_options call;
    call.timeout = 30s;
    auto pending = c_.call_future("outer", "Wait", bson_view{}, call);
    ASSERT_TRUE(eventually([&] { return hold_.waiting() == 1; }));

    auto stopped = std::async(std::launch::async, [&] { outer.reset(); });
    EXPECT_EQ(stopped.wait_for(generous), std::future_status::ready);
    ASSERT_EQ(pending.wait_for(generous), std::future_status::ready);
    EXPECT_FALSE(pending.get().ok());
}

}  // namespace
}  // namespace skynet::testing
