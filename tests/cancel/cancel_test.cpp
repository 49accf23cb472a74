// Cancellation end to end: a call given up ends CANCELLED at once and its
// handler sees request::cancelled(); a queued one never reaches a handler;
// a cancel racing the reply leaves exactly one outcome; a cancel after the
// end does nothing; and the broker and the next calls are none the worse.
#include <gtest/gtest.h>

#include <array>

#include "cancel_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// A worker whose "Slow" waits until its caller gives up (or its deadline),
// "Block" waits on a gate, "Count" counts its runs, "Echo" answers at once.
struct slow_worker {
    slow_worker(const std::string& broker, bool batching, std::uint32_t credit) {
        auto options = cancel_worker_options("slow", broker, batching);
        options.credit = credit;
        options.concurrency = 2;
        w = std::make_unique<worker>(options);
        w->handle("Slow", [this](const request& req) {
            started.store(true);
            // The handler's own polling, as a long handler would do it.
            while (!req.cancelled() && !req.expired()) {
                std::this_thread::sleep_for(1ms);
            }
            saw_cancel.store(req.cancelled());
            return bus::bson_doc{};
        });
        w->handle("Block", [this](const request& req) {
            started.store(true);
            release.wait(req.deadline());
            return bus::bson_doc{};
        });
        w->handle("Count", [this](const request&) {
            counted.fetch_add(1);
            return bus::bson_doc{};
        });
        w->handle(
            "Echo", [](const request&) { return bus::bson_doc{}; }, run_on::io_thread);
        w->start();
    }
    ~slow_worker() { release.open(); }

    gate release;
    std::atomic<bool> started{false};
    std::atomic<bool> saw_cancel{false};
    std::atomic<int> counted{0};
    std::unique_ptr<worker> w;
};

call_options long_deadline() {
    call_options options;
    options.timeout = generous;
    return options;
}

class CancelPaths : public ::testing::TestWithParam<bool> {};

TEST_P(CancelPaths, HeldCallEndsCancelledAndItsHandlerSeesIt) {
    const bool batching = GetParam();
    running_broker broker;
    slow_worker sw(broker.endpoint(), batching, 0);
    client c(cancel_client_options(broker.endpoint(), batching));
    ASSERT_TRUE(wait_for_service(c, "slow"));

    outcome_box box;
    auto handle = c.call_async("slow", "Slow", bus::bson_view{}, long_deadline(), box.callback());
    ASSERT_TRUE(eventually([&] { return sw.started.load(); }));
    handle.cancel();
    auto outcome = box.wait();
    ASSERT_TRUE(outcome.has_value());
    ASSERT_FALSE(outcome->ok());
    EXPECT_EQ(outcome->code(), bus::errc::cancelled);
    // The handler saw it long before its deadline, and its reply was dropped.
    EXPECT_TRUE(eventually([&] { return sw.saw_cancel.load(); }));
    EXPECT_TRUE(eventually([&] { return broker.stats().cancelled_replies == 1; }));
    EXPECT_EQ(broker.stats().cancelled, 1u);

    handle.cancel();  // again: nothing more
    auto next = c.call("slow", "Echo", bus::bson_view{});
    EXPECT_TRUE(next.ok());
    EXPECT_TRUE(eventually([&] { return broker.stats().in_flight == 0; }));
    EXPECT_EQ(box.calls.load(), 1);
    EXPECT_EQ(c.stats().late_replies, 0u);  // the broker kept the late reply to itself
}

TEST_P(CancelPaths, QueuedCallNeverReachesAHandler) {
    const bool batching = GetParam();
    running_broker broker;
    slow_worker sw(broker.endpoint(), batching, 1);  // holds one request at a time
    client c(cancel_client_options(broker.endpoint(), batching));
    ASSERT_TRUE(wait_for_service(c, "slow"));

    outcome_box blocked, queued;
    c.call_async("slow", "Block", bus::bson_view{}, long_deadline(), blocked.callback());
    ASSERT_TRUE(eventually([&] { return sw.started.load(); }));
    auto handle =
        c.call_async("slow", "Count", bus::bson_view{}, long_deadline(), queued.callback());
    ASSERT_TRUE(eventually([&] { return broker.stats().queued == 1; }));
    handle.cancel();
    auto outcome = queued.wait();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->code(), bus::errc::cancelled);
    ASSERT_TRUE(eventually([&] { return broker.stats().cancelled == 1; }));
    EXPECT_EQ(broker.stats().queued, 0u);

    sw.release.open();
    auto first = blocked.wait();
    ASSERT_TRUE(first.has_value());
    EXPECT_TRUE(first->ok());
    // In FIFO order, the cancelled call would have run before this one.
    EXPECT_TRUE(c.call("slow", "Count", bus::bson_view{}).ok());
    EXPECT_EQ(sw.counted.load(), 1);
    EXPECT_EQ(broker.stats().cancelled_replies, 0u);
}

INSTANTIATE_TEST_SUITE_P(PlainAndBatched, CancelPaths, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Batched" : "Plain"; });

TEST(Cancel, RacingTheReplyLeavesExactlyOneOutcome) {
    running_broker broker;
    slow_worker sw(broker.endpoint(), true, 0);
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "slow"));

    constexpr int rounds = 200;
    std::array<std::atomic<int>, rounds> outcomes{};
    std::array<std::atomic<int>, rounds> codes{};
    std::atomic<int> ended{0};
    for (int i = 0; i < rounds; ++i) {
        auto handle =
            c.call_async("slow", "Echo", bus::bson_view{}, long_deadline(), [&, i](call_result r) {
                codes[i].store(static_cast<int>(r.code()));
                outcomes[i].fetch_add(1);
                ended.fetch_add(1);
            });
        handle.cancel();
    }
    ASSERT_TRUE(eventually([&] { return ended.load() == rounds; }));
    // Whatever the broker and worker still do with the cancelled ones, the
    // next call goes through, and no call got a second outcome meanwhile.
    EXPECT_TRUE(c.call("slow", "Echo", bus::bson_view{}).ok());
    EXPECT_TRUE(eventually([&] { return broker.stats().in_flight == 0; }));
    int cancelled = 0;
    for (int i = 0; i < rounds; ++i) {
        EXPECT_EQ(outcomes[i].load(), 1) << "call " << i;
        const auto code = static_cast<bus::errc>(codes[i].load());
        EXPECT_TRUE(code == bus::errc::ok || code == bus::errc::cancelled) << bus::to_string(code);
        cancelled += code == bus::errc::cancelled;
    }
    EXPECT_EQ(ended.load(), rounds);
    EXPECT_GT(cancelled, 0);  // cancel right after the call mostly wins
}

TEST(Cancel, AFutureCallCanBeCancelled) {
    running_broker broker;
    slow_worker sw(broker.endpoint(), true, 0);
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "slow"));

    call_handle handle;
    auto future = c.call_future("slow", "Slow", bus::bson_doc{}, long_deadline(), handle);
    ASSERT_TRUE(eventually([&] { return sw.started.load(); }));
    handle.cancel();
    ASSERT_EQ(future.wait_for(generous), std::future_status::ready);
    EXPECT_EQ(future.get().code(), bus::errc::cancelled);
    EXPECT_TRUE(eventually([&] { return sw.saw_cancel.load(); }));
}

TEST(Cancel, AfterTheEndItDoesNothing) {
    running_broker broker;
    slow_worker sw(broker.endpoint(), true, 0);
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "slow"));

    outcome_box box;
    auto handle = c.call_async("slow", "Echo", bus::bson_view{}, long_deadline(), box.callback());
    auto outcome = box.wait();
    ASSERT_TRUE(outcome.has_value());
    ASSERT_TRUE(outcome->ok());
    const auto errors = c.stats().errors;
    handle.cancel();
    handle.cancel();
    EXPECT_TRUE(c.call("slow", "Echo", bus::bson_view{}).ok());
    EXPECT_EQ(box.calls.load(), 1);
    EXPECT_EQ(c.stats().errors, errors);
    EXPECT_EQ(broker.stats().cancelled, 0u);  // the client had nothing to tell

    call_handle none;
    none.cancel();  // a default handle cancels nothing
}

TEST(Cancel, AHandleOutlivingItsClientCancelsNothing) {
    running_broker broker;
    call_handle handle;
    {
        client c(fast_client_options(broker.endpoint()));
        handle = c.call_async("nobody", "M", bus::bson_view{}, {}, [](call_result) {});
    }
    handle.cancel();  // the client is gone: no crash, nothing happens
    SUCCEED();
}

}  // namespace
}  // namespace skynet::testing
