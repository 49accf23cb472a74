// Counter tables: one list makes the table, the BSON document and the
// Prometheus text, in the list's order, with counters and gauges named as
// Prometheus expects.
#include "skynet/runtime/counter_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

// clang-format off
#define TEST_COUNTERS(X)                                     \
    X(requests, counter, "Requests received.")               \
    X(queued, gauge, "Requests now waiting.")                \
    X(odd_help, counter, "A back\\slash and a\nline feed.")
// clang-format on

struct test_stats {
#define TEST_STATS_FIELD(name, kind, help) std::uint64_t name = 0;
    TEST_COUNTERS(TEST_STATS_FIELD)
#undef TEST_STATS_FIELD
};

struct live_counters {
    TEST_COUNTERS(SKYNET_COUNTER_CELL)
    test_stats snapshot() const noexcept {
        test_stats s;
        TEST_COUNTERS(SKYNET_COUNTER_COPY)
        return s;
    }
};

constexpr auto table = SKYNET_COUNTER_TABLE(test_stats, TEST_COUNTERS);
static_assert(table.size() == 3);
static_assert(table[0].name == "requests");
static_assert(table[1].kind == skynet::runtime::counter_kind::gauge);

}  // namespace

TEST(CounterTable, LiveCellsSnapshotIntoTheStatsStruct) {
    live_counters live;
    live.requests.add(3);
    live.queued.set(7);
    live.requests.add();
    const auto s = live.snapshot();
    EXPECT_EQ(s.requests, 4u);
    EXPECT_EQ(s.queued, 7u);
    EXPECT_EQ(s.odd_help, 0u);
}

TEST(CounterTable, BsonHoldsEveryRowInOrderAndReadsBack) {
    test_stats s;
    s.requests = 12;
    s.queued = 3;
    s.odd_help = 1ull << 40;
    skynet::bus::bson_doc doc;
    skynet::runtime::write_bson(table, s, doc);
    EXPECT_EQ(doc.to_json().find("\"requests\""), doc.to_json().find('"'));  // the first key
    const auto back = skynet::runtime::read_bson(table, doc.view());
    EXPECT_EQ(back.requests, 12u);
    EXPECT_EQ(back.queued, 3u);
    EXPECT_EQ(back.odd_help, 1ull << 40);
}

TEST(CounterTable, ARowTheDocumentLacksReadsZero) {
    skynet::bus::bson_doc doc;
    doc.add_int64("queued", 5);
    doc.add_string("requests", "not a number");
    const auto back = skynet::runtime::read_bson(table, doc.view());
    EXPECT_EQ(back.requests, 0u);
    EXPECT_EQ(back.queued, 5u);
    EXPECT_EQ(back.odd_help, 0u);
}

TEST(CounterTable, PrometheusTextNamesCountersAndGaugesByTheRules) {
    test_stats s;
    s.requests = 12;
    s.queued = 3;
    s.odd_help = 18446744073709551615ull;
    std::string out;
    skynet::runtime::write_prometheus(table, s, "skynet_test", out);
    EXPECT_EQ(out,
              "# HELP skynet_test_requests_total Requests received.\n"
              "# TYPE skynet_test_requests_total counter\n"
              "skynet_test_requests_total 12\n"
              "# HELP skynet_test_queued Requests now waiting.\n"
              "# TYPE skynet_test_queued gauge\n"
              "skynet_test_queued 3\n"
              "# HELP skynet_test_odd_help_total A back\\\\slash and a\\nline feed.\n"
              "# TYPE skynet_test_odd_help_total counter\n"
              "skynet_test_odd_help_total 18446744073709551615\n");
}
