// The outcome contract: every call ends with one reply or one coded error,
// whatever the worker does (throws, stalls, dies) and however full the queue.
#include <gtest/gtest.h>

#include <csignal>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

call_options with_timeout(std::chrono::milliseconds t) {
    call_options options;
    options.timeout = t;
    return options;
}

TEST(Outcomes, AHandlerExceptionArrivesAsServiceError) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    held_worker held(broker.endpoint(), "fragile");
    ASSERT_TRUE(wait_for_service(c, "fragile"));

    auto outcome = c.call("fragile", "Fail", bus::bson_view{});
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.code(), bus::errc::service_error);
    EXPECT_EQ(outcome.err().detail, "the disk is on fire");

    outcome = c.call("fragile", "Refuse", bus::bson_view{});
    EXPECT_EQ(outcome.code(), bus::errc::unauthorized);
    EXPECT_THROW((void)c.call_or_throw("fragile", "Fail", bus::bson_view{}), call_error);
}

TEST(Outcomes, AnUnknownMethodIsUnknownMethod) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    held_worker held(broker.endpoint(), "fragile");
    ASSERT_TRUE(wait_for_service(c, "fragile"));
    EXPECT_EQ(c.call("fragile", "NoSuchMethod", bus::bson_view{}).code(),
              bus::errc::unknown_method);
}

TEST(Outcomes, AServiceNobodyServesEndsInUnknownServiceBeforeTheDeadline) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    // The broker waits unknown_service_wait (1 s) for a worker, far less than
    // the call's 60 s: an answer at all proves it did not wait for the deadline.
    auto outcome = c.call("ghost", "Anything", bus::bson_view{}, with_timeout(60s));
    EXPECT_EQ(outcome.code(), bus::errc::unknown_service);
    EXPECT_TRUE(eventually([&] { return broker.stats().unknown_service == 1; }));
}

TEST(Outcomes, ARequestThatOutlivesItsDeadlineEndsInTimeout) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    held_worker held(broker.endpoint(), "slow");
    ASSERT_TRUE(wait_for_service(c, "slow"));

    auto outcome = c.call("slow", "Hold", bus::bson_view{}, with_timeout(300ms));
    EXPECT_EQ(outcome.code(), bus::errc::timeout);
}

TEST(Outcomes, AQueuedRequestWhoseDeadlinePassesIsNeverDispatched) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    held_worker held(broker.endpoint(), "slow");
    ASSERT_TRUE(wait_for_service(c, "slow"));

    auto first = c.call_future("slow", "Hold", bus::bson_view{}, with_timeout(30s));
    ASSERT_TRUE(eventually([&] { return held.runs == 1; }));
    // Queued behind the held one; its budget runs out in the queue.
    auto queued = c.call("slow", "Hold", bus::bson_view{}, with_timeout(200ms));
    EXPECT_EQ(queued.code(), bus::errc::timeout);
    ASSERT_TRUE(eventually([&] { return broker.stats().expired == 1; }));
    held.release.open();
    EXPECT_TRUE(first.get().ok());
    EXPECT_EQ(held.runs, 1);
}

TEST(Outcomes, AFullQueueAnswersOverloadedAndLosesNothing) {
    auto options = fast_broker_options();
    options.max_queue = 3;
    running_broker broker(options);
    client c(fast_client_options(broker.endpoint()));
    held_worker held(broker.endpoint(), "narrow");
    ASSERT_TRUE(wait_for_service(c, "narrow"));

    std::vector<std::future<call_result>> accepted;
    accepted.push_back(c.call_future("narrow", "Hold", bus::bson_view{}, with_timeout(30s)));
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 1; }));
    for (int i = 0; i < 3; ++i) {
        accepted.push_back(c.call_future("narrow", "Hold", bus::bson_view{}, with_timeout(30s)));
    }
    ASSERT_TRUE(eventually([&] { return broker.stats().queued == 3; }));

    auto refused = c.call("narrow", "Hold", bus::bson_view{}, with_timeout(30s));
    EXPECT_EQ(refused.code(), bus::errc::overloaded);
    EXPECT_TRUE(eventually([&] { return broker.stats().overloaded == 1; }));

    held.release.open();
    for (auto& f : accepted) {
        EXPECT_TRUE(f.get().ok());
    }
    EXPECT_EQ(held.runs, 4);
}

std::unique_ptr<child_process> start_sleeper(const std::string& broker) {
    return std::make_unique<child_process>(
        "sleeper-service", std::vector<std::string>{"--broker", broker, "--heartbeat-ms", "100",
                                                    "--log-level", "warn"});
}

TEST(Outcomes, AKilledWorkerIsDroppedWithinItsLiveness) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto sleeper = start_sleeper(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "sleeper"));

    sleeper->signal(SIGKILL);
    // Heartbeat 100 ms × liveness 3: gone long before the generous deadline.
    EXPECT_TRUE(wait_for_no_service(c, "sleeper"));
    EXPECT_EQ(broker.stats().workers, 0u);
}

TEST(Outcomes, ARequestOnAKilledWorkerEndsInWorkerLostAtOnce) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto sleeper = start_sleeper(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "sleeper"));

    bus::bson_doc params;
    params.add_int64("ms", 60000);
    auto pending = c.call_future("sleeper", "Sleep", params.view(), with_timeout(120s));
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 1; }));
    sleeper->signal(SIGKILL);
    // Not idempotent: never run twice, so WORKER_LOST, long before 120 s.
    ASSERT_EQ(pending.wait_for(generous), std::future_status::ready);
    EXPECT_EQ(pending.get().code(), bus::errc::worker_lost);
}

TEST(Outcomes, AnIdempotentRequestMovesToAnotherWorker) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto doomed = start_sleeper(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "sleeper"));

    bus::bson_doc params;
    params.add_int64("ms", 60000);
    call_options options = with_timeout(60s);
    options.idempotent = true;
    auto pending = c.call_future("sleeper", "Sleep", params.view(), options);
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 1; }));
    // The survivor answers at once and says it re-ran the request.
    worker survivor(fast_worker_options("sleeper", broker.endpoint()));
    survivor.handle("Sleep", [](const request& req) {
        bus::bson_doc result;
        result.add_int32("retry", req.retry());
        return result;
    });
    survivor.start();
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 2; }));
    doomed->signal(SIGKILL);

    auto outcome = pending.get();
    ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
    EXPECT_EQ(outcome->result().get_int32("retry"), 1);
    EXPECT_EQ(broker.stats().redispatched, 1u);
}

// A worker frozen while holding a request (SIGSTOP: a machine swapping, a
// link cut) would be handed more, up to its credit, until its liveness ran
// out. Silent for two heartbeats, it is set aside instead; heard again, it
// answers what it held and takes work again.
TEST(Outcomes, ASilentWorkerHoldingRequestsIsSetAsideUntilHeard) {
    auto options = fast_broker_options();
    options.liveness = 100;  // expiry far away: only being set aside helps
    running_broker broker(options);
    client c(fast_client_options(broker.endpoint()));
    // Its own heartbeat is slower than the broker's, so that on waking it
    // still trusts its broker (a worker frozen past its own liveness would
    // reconnect and drop what it held, rightly, but not what this tests).
    const auto worker_heartbeat = std::to_string(scaled(300ms).count());
    auto frozen = std::make_unique<child_process>(
        "sleeper-service",
        std::vector<std::string>{"--broker", broker.endpoint(), "--credit", "8", "--heartbeat-ms",
                                 worker_heartbeat, "--log-level", "warn"});
    ASSERT_TRUE(wait_for_service(c, "sleeper"));
    frozen->signal(SIGSTOP);
    // Silence as the broker sees it starts once it has read what the worker
    // sent before it froze: a round trip through the broker shows that (a
    // busy machine can hold a heartbeat unread for longer than one interval).
    ASSERT_EQ(mmi_service(c, "sleeper"), "200");
    const auto stopped_at = bus::clock::now();

    bus::bson_doc params;
    params.add_int64("ms", 0);
    call_options idempotent = with_timeout(60s);
    idempotent.idempotent = true;
    auto held = c.call_future("sleeper", "Sleep", params.view(), idempotent);
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 1; }));
    worker survivor(fast_worker_options("sleeper", broker.endpoint()));
    survivor.handle("Sleep", [](const request&) { return bus::bson_doc{}; });
    survivor.start();
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 2; }));
    // The silence itself is the condition: more than two heartbeats of it.
    ASSERT_TRUE(eventually([&] { return bus::clock::now() - stopped_at > 3 * scaled(100ms); }));

    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(c.call("sleeper", "Sleep", params.view(), idempotent).ok());
    }
    EXPECT_GE(broker.stats().quiet_workers, 1u);
    EXPECT_EQ(broker.stats().workers, 2u);  // answered without waiting for its expiry
    EXPECT_EQ(broker.stats().in_flight, 1u);

    frozen->signal(SIGCONT);
    auto outcome = held.get();
    EXPECT_TRUE(outcome.ok()) << outcome.err().detail;
    EXPECT_EQ(broker.stats().redispatched, 0u);
}

}  // namespace
}  // namespace skynet::testing
