// Heartbeat agreement (docs/design.md): our worker learns its broker's
// heartbeat with its credit and keeps to it, so that a broker run with
// shorter heartbeats than the worker's options never takes it for dead.
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<worker> default_echo(const std::string& broker, const std::string& service,
                                     int concurrency) {
    worker_options options;  // heartbeat and liveness left at their defaults
    options.service = service;
    options.version = "1.0";
    options.brokers = {broker};
    options.concurrency = concurrency;
    auto w = std::make_unique<worker>(options);
    w->handle("Echo", [](const request& req) { return bus::bson_doc::copy_of(req.params()); });
    w->start();
    return w;
}

// The trap: `--heartbeat-ms 250 --liveness 4` and workers at 2.5 s.
TEST(HeartbeatAgreement, ADefaultWorkerStaysThroughTenIdleSeconds) {
    auto options = fast_broker_options();
    options.heartbeat = scaled(250ms);
    options.liveness = 4;
    running_broker broker(options);
    // 1 s of silence ends a worker here, and ours would heartbeat every 2.5 s
    // (unless SKYNET_TEST_TIME_SCALE stretches the broker's terms).
    auto pooled = default_echo(broker.endpoint(), "sleepy", 4);
    auto single = default_echo(broker.endpoint(), "drowsy", 1);  // credit 1 asks too
    auto client_settings = fast_client_options(broker.endpoint());
    client_settings.heartbeat = client_options{}.heartbeat;  // a user's, not a test's
    client c(client_settings);
    ASSERT_TRUE(wait_for_service(c, "sleepy"));
    ASSERT_TRUE(wait_for_service(c, "drowsy"));
    const auto workers = broker.stats().workers;
    ASSERT_GE(workers, 2u);

    // Watched all through, not sampled at the end: a worker dropped and
    // back again would pass a check made only then.
    std::uint64_t fewest = workers;
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
        fewest = std::min(fewest, broker.stats().workers);
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(fewest, workers);
    EXPECT_EQ(broker.stats().workers_lost, 0u);
    EXPECT_EQ(broker.stats().disconnects, 0u);
    EXPECT_EQ(mmi_service(c, "sleepy"), "200");
    EXPECT_EQ(mmi_service(c, "drowsy"), "200");

    bus::bson_doc params;
    params.add_int64("n", 7);
    for (const auto* service : {"sleepy", "drowsy"}) {
        call_options patient;
        patient.timeout = generous;
        auto answer = c.call(service, "Echo", params.view(), patient);
        ASSERT_TRUE(answer.ok()) << service << ": " << answer.err().detail;
        EXPECT_EQ(answer->result().get_int64("n"), 7);
    }
}

}  // namespace
}  // namespace skynet::testing
