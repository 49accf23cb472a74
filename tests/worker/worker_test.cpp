// The service API as a service author uses it: hooks, the request context,
// concurrency, async responders, and coming back after the broker restarts.
#include <gtest/gtest.h>

#include <mutex>

#include "skynet/bus/envelope.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// Hook calls, in order, as "name:detail" lines.
class hook_log {
public:
    void add(std::string line) {
        std::lock_guard lock(mutex_);
        lines_.push_back(std::move(line));
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    bool has(const std::string& line) const {
        auto all = lines();
        return std::find(all.begin(), all.end(), line) != all.end();
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

TEST(Worker, HooksFireInTheOrderAServiceLives) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    hook_log log;
    {
        worker w(fast_worker_options("hooked", broker.endpoint(), "1.0"));
        w.handle("Ok", [](const request&) { return bus::bson_doc{}; });
        w.handle("Fail", [](const request&) -> bus::bson_doc { throw std::runtime_error("no"); });
        auto& h = w.hooks();
        h.started = [&] { log.add("started"); };
        h.registered = [&](const std::string&) { log.add("registered"); };
        h.method_called = [&](const request& r) { log.add("called:" + std::string(r.method())); };
        h.method_completed = [&](const request& r, std::chrono::nanoseconds took, bus::errc code) {
            log.add("completed:" + std::string(r.method()) + ":" +
                    std::string(bus::to_string(code)) + (took.count() >= 0 ? "" : ":negative"));
        };
        h.unregistered = [&](const std::string&) { log.add("unregistered"); };
        h.stopped = [&] { log.add("stopped"); };
        w.start();
        ASSERT_TRUE(wait_for_service(c, "hooked"));
        EXPECT_EQ(w.announced_name(), "hooked@1.0");
        ASSERT_TRUE(c.call("hooked", "Ok", bus::bson_view{}).ok());
        ASSERT_EQ(c.call("hooked", "Fail", bus::bson_view{}).code(), bus::errc::service_error);
        ASSERT_TRUE(eventually([&] { return log.has("completed:Fail:SERVICE_ERROR"); }));
        w.stop();
        w.wait();
    }
    EXPECT_EQ(log.lines(),
              (std::vector<std::string>{"started", "registered", "called:Ok", "completed:Ok:OK",
                                        "called:Fail", "completed:Fail:SERVICE_ERROR",
                                        "unregistered", "stopped"}));
}

TEST(Worker, AHandlerSeesTheRequestContext) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    worker w(fast_worker_options("context", broker.endpoint()));
    std::mutex mutex;
    std::string method, request_id, origin, parent;
    std::int32_t retry = -1;
    std::chrono::milliseconds remaining{-1};
    w.handle("Look", [&](const request& req) {
        std::lock_guard lock(mutex);
        method = req.method();
        request_id = req.request_id();
        origin = req.origin();
        parent = req.parent();
        retry = req.retry();
        remaining = req.remaining();
        return bus::bson_doc{};
    });
    w.start();
    ASSERT_TRUE(wait_for_service(c, "context"));

    call_options options;
    options.timeout = 20s;
    ASSERT_TRUE(c.call("context", "Look", bus::bson_view{}, options).ok());
    std::lock_guard lock(mutex);
    EXPECT_EQ(method, "Look");
    EXPECT_FALSE(request_id.empty());
    EXPECT_NE(origin.find("/test"), std::string::npos) << origin;
    EXPECT_TRUE(parent.empty());
    EXPECT_EQ(retry, 0);
    EXPECT_GT(remaining, 0ms);
    EXPECT_LE(remaining, 20s);
}

TEST(Worker, ANestedCallNamesItsParentAndKeepsWithinItsDeadline) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto inner_options = fast_worker_options("inner", broker.endpoint());
    worker inner(inner_options);
    inner.handle("Report", [](const request& req) {
        bus::bson_doc result;
        result.add_string("parent", req.parent());
        result.add_int64("remaining_ms", req.remaining().count());
        return result;
    });
    inner.start();
    worker outer(fast_worker_options("outer", broker.endpoint()));
    outer.handle("Relay", [&c](const request& req) {
        call_options options;
        options.parent = req.context();
        options.timeout = 60s;  // more than the parent has: the parent's budget wins
        auto reply = c.call_or_throw("inner", "Report", bus::bson_view{}, options);
        bus::bson_doc result;
        result.add_string("my_id", req.request_id());
        result.add_string("inner_parent", reply.result().get_string("parent").value_or(""));
        result.add_int64("inner_remaining_ms",
                         reply.result().get_int64("remaining_ms").value_or(-1));
        return result;
    });
    outer.start();
    ASSERT_TRUE(wait_for_service(c, "inner"));
    ASSERT_TRUE(wait_for_service(c, "outer"));

    call_options options;
    options.timeout = 5s;
    auto outcome = c.call("outer", "Relay", bus::bson_view{}, options);
    ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
    auto result = outcome->result();
    EXPECT_EQ(result.get_string("inner_parent"), result.get_string("my_id"));
    EXPECT_GT(result.get_int64("inner_remaining_ms").value_or(-1), 0);
    EXPECT_LE(result.get_int64("inner_remaining_ms").value_or(99999), 5000);
}

TEST(Worker, ConcurrencyHandlersRunAtOnce) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto options = fast_worker_options("wide", broker.endpoint());
    options.concurrency = 4;
    worker w(options);
    gate release;
    w.handle("Hold", [&](const request& req) {
        release.wait(req.deadline());
        return bus::bson_doc{};
    });
    w.start();
    ASSERT_TRUE(wait_for_service(c, "wide"));

    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < 4; ++i) {
        calls.push_back(c.call_future("wide", "Hold", bus::bson_view{}));
    }
    EXPECT_TRUE(eventually([&] { return release.waiting() == 4; }));
    release.open();
    for (auto& f : calls) {
        EXPECT_TRUE(f.get().ok());
    }
}

TEST(Worker, AForgottenResponderAnswersServiceError) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    worker w(fast_worker_options("forgetful", broker.endpoint()));
    w.handle_async("Drop", [](responder) {});  // destroyed unanswered
    w.handle_async("Later", [](responder r) {
        std::thread([r = std::move(r)]() mutable {
            bus::bson_doc result;
            result.add_bool("late", true);
            r.reply(std::move(result));
        }).detach();
    });
    w.start();
    ASSERT_TRUE(wait_for_service(c, "forgetful"));
    EXPECT_EQ(c.call("forgetful", "Drop", bus::bson_view{}).code(), bus::errc::service_error);
    auto later = c.call("forgetful", "Later", bus::bson_view{});
    ASSERT_TRUE(later.ok());
    EXPECT_EQ(later->result().get_bool("late"), true);
}

TEST(Worker, ItComesBackWhenItsBrokerRestarts) {
    auto options = fast_broker_options();
    options.bind = loopback_endpoint(free_port());
    auto first = std::make_unique<running_broker>(options);
    worker w(fast_worker_options("phoenix", first->endpoint()));
    std::atomic<int> registrations{0};
    w.hooks().registered = [&](const std::string&) { ++registrations; };
    w.handle(
        "Ping", [](const request&) { return bus::bson_doc{}; }, run_on::io_thread);
    w.start();
    // Known to the first broker, so that losing it is what brings the worker
    // to the second (not a READY still in flight when the first went away).
    ASSERT_TRUE(eventually([&] { return registrations == 1 && first->stats().workers == 1; }));
    first.reset();  // the broker is gone

    running_broker second(options);
    client c(fast_client_options(second.endpoint()));
    EXPECT_TRUE(wait_for_service(c, "phoenix"));
    EXPECT_TRUE(c.call("phoenix", "Ping", bus::bson_view{}).ok());
    EXPECT_GE(registrations, 2);
    EXPECT_GE(w.stats().reconnects, 1u);
}

// Params are checked as a document (length prefix, terminator) when they
// arrive, and element by element only as the handler reads them.
TEST(Worker, ParamsThatAreNotADocumentAreABadRequest) {
    running_broker broker;
    worker w(fast_worker_options("reader", broker.endpoint()));
    w.handle(
        "Read",
        [](const request& req) {
            bus::bson_doc result;
            result.add_int64("n", req.params().get_int64("n").value_or(-1));
            return result;
        },
        run_on::io_thread);
    w.start();
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "reader"));

    auto send = [&](zmq::message_t params) {
        bus::rpc::request_header header;
        header.method = "Read";
        header.request_id = "id-1";
        header.origin = "test";
        bus::frames body;
        body.push_back(bus::rpc::encode_request_header(header));
        body.push_back(std::move(params));
        auto outcome = c.call_raw("reader", std::move(body));
        EXPECT_TRUE(outcome.ok());
        auto frames = outcome ? outcome->frames() : std::span<const zmq::message_t>{};
        auto reply = frames.size() == 2 ? bus::rpc::decode_reply_header(frames[0])
                                        : bus::result<bus::rpc::reply_header>(
                                              bus::error{bus::errc::bad_request, "no reply"});
        EXPECT_TRUE(reply.ok());
        return reply ? reply->code : bus::errc::unavailable;
    };
    EXPECT_EQ(send(bus::frame_of("not bson at all")), bus::errc::bad_request);
    // A length prefix that disagrees with the frame.
    EXPECT_EQ(send(bus::frame_of(std::string_view("\x20\0\0\0\0", 5))), bus::errc::bad_request);
    // A well-framed document whose element claims more bytes than there are:
    // it reaches the handler, whose read finds nothing.
    const char corrupt[] = "\x0f\0\0\0\x02n\0\x7f\0\0\0ab\0\0";  // a string of 127 bytes?
    EXPECT_EQ(send(bus::frame_of(std::string_view(corrupt, 15))), bus::errc::ok);
    bus::bson_doc good;
    good.add_int64("n", 7);
    EXPECT_EQ(send(std::move(good).to_frame()), bus::errc::ok);
}

TEST(Worker, BadOptionsAreRefused) {
    worker_options no_service;
    no_service.brokers = {"tcp://127.0.0.1:1"};
    EXPECT_THROW(worker{no_service}, std::invalid_argument);
    worker_options no_broker;
    no_broker.service = "x";
    EXPECT_THROW(worker{no_broker}, std::invalid_argument);
}

}  // namespace
}  // namespace skynet::testing
