// The broker's counters as others read them: mmi.stats keeps the fields,
// order and types it always had, and broker::stats(), mmi.stats and the
// Prometheus text count the same calls.
#include <bson/bson.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skynet/broker/broker_stats.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"
#include "support/mmi_stats.hpp"

namespace skynet::testing {
namespace {

// The document as it was before the counter table made it: clients read
// these names as int64.
const std::vector<std::string> mmi_stats_fields = {"requests",
                                                   "dispatched",
                                                   "replies",
                                                   "queued",
                                                   "in_flight",
                                                   "workers",
                                                   "services",
                                                   "malformed",
                                                   "disconnects",
                                                   "overloaded",
                                                   "unknown_service",
                                                   "expired",
                                                   "workers_lost",
                                                   "redispatched",
                                                   "worker_lost_replies",
                                                   "undeliverable",
                                                   "too_large",
                                                   "clients",
                                                   "clients_refused",
                                                   "client_requests_refused",
                                                   "quiet_workers",
                                                   "batches_received",
                                                   "batches_sent",
                                                   "plain_refused",
                                                   "cancelled",
                                                   "cancelled_replies",
                                                   "batch_records_received",
                                                   "batch_records_sent",
                                                   "unauthorized",
                                                   "offers_refused"};

TEST(BrokerStats, MmiStatsKeepsItsFieldNamesOrderAndTypes) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    bus::frames body;
    body.push_back(bus::frame_of(""));
    auto outcome = c.call_raw("mmi.stats", std::move(body));
    ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
    ASSERT_EQ(outcome->frames().size(), 2u);
    EXPECT_EQ(outcome->frames()[0].to_string(), "200");
    auto doc = bus::bson_view::from_frame(outcome->frames()[1]);
    ASSERT_TRUE(doc.ok());
    bson_iter_t it;
    ASSERT_TRUE(bson_iter_init(&it, doc->get()));
    std::vector<std::string> names;
    while (bson_iter_next(&it)) {
        names.emplace_back(bson_iter_key(&it));
        EXPECT_EQ(bson_iter_type(&it), BSON_TYPE_INT64) << names.back();
    }
    EXPECT_EQ(names, mmi_stats_fields);
}

TEST(BrokerStats, EveryViewCountsTheSameCalls) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto echo = start_echo_worker(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "echo"));
    const auto before = broker.stats();
    constexpr std::uint64_t calls = 25;
    for (std::uint64_t i = 0; i < calls; ++i) {
        bus::bson_doc params;
        params.add_int64("i", static_cast<std::int64_t>(i));
        auto outcome = c.call("echo", "Echo", params.view());
        ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
    }
    const auto direct = broker.stats();
    EXPECT_EQ(direct.replies - before.replies, calls);
    EXPECT_EQ(direct.dispatched - before.dispatched, calls);

    // mmi.stats is answered by the broker itself: no dispatch, no reply.
    const auto read = read_broker_stats(c);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->replies, direct.replies);
    EXPECT_EQ(read->dispatched, direct.dispatched);
    EXPECT_EQ(read->workers, 1u);

    const auto text = prometheus_text(*read);
    const auto replies = "\nskynet_broker_replies_total " + std::to_string(read->replies) + "\n";
    EXPECT_NE(text.find(replies), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE skynet_broker_workers_connected gauge\n"
                        "skynet_broker_workers_connected 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("# HELP skynet_broker_requests_received_total "), std::string::npos)
        << text;

    // The worker and the client render theirs from their own lists.
    ASSERT_TRUE(eventually([&] { return echo->stats().replies == calls; }));
    EXPECT_NE(prometheus_text(echo->stats()).find("\nskynet_worker_replies_total 25\n"),
              std::string::npos);
    const auto mine = c.stats();
    const auto calls_made = "\nskynet_client_calls_total " + std::to_string(mine.calls) + "\n";
    EXPECT_NE(prometheus_text(mine).find(calls_made), std::string::npos);
    EXPECT_NE(prometheus_text(mine).find("# TYPE skynet_client_in_flight gauge\n"),
              std::string::npos);
}

}  // namespace
}  // namespace skynet::testing
