// The exposer: serves /metrics on a port it picked, builds each scrape from
// its sources, names counter-table rows as Prometheus does, and survives a
// source that throws.
#include "skynet/metrics/exposer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "scrape.hpp"

namespace skynet::metrics {
namespace {

struct table_stats {
    std::uint64_t calls = 0;
    std::uint64_t level = 0;
};
#define TEST_COUNTERS(X)             \
    X(calls, counter, "Calls made.") \
    X(level, gauge, "A level now.")

TEST(MetricsExposer, ServesWhatItsSourcesReportAtEachScrape) {
    exposer http("127.0.0.1:0");
    ASSERT_NE(http.port(), 0);
    std::atomic<int> calls{0};
    http.add([&] {
        table_stats s{static_cast<std::uint64_t>(++calls), 7};
        families out;
        add_counter_table(out, SKYNET_COUNTER_TABLE(table_stats, TEST_COUNTERS), s, "skynet_test");
        return out;
    });
    const auto first = testing::scrape(http.address());
    ASSERT_EQ(first.status, 200);
    EXPECT_NE(first.content_type.find("text/plain"), std::string::npos);
    EXPECT_EQ(first.value("skynet_test_calls_total"), 1.0) << first.text;
    EXPECT_EQ(first.value("skynet_test_level"), 7.0) << first.text;
    EXPECT_NE(first.text.find("# TYPE skynet_test_calls_total counter"), std::string::npos);
    EXPECT_EQ(testing::scrape(http.address()).value("skynet_test_calls_total"), 2.0);
}

TEST(MetricsExposer, AThrowingSourceLeavesTheOthersServed) {
    exposer http("127.0.0.1:0");
    http.add([]() -> families { throw std::runtime_error("broken source"); });
    http.add([] {
        auto f = gauge_family("skynet_test_up", "Up.");
        add_value(f, {}, 1);
        return families{f};
    });
    const auto s = testing::scrape(http.address());
    ASSERT_EQ(s.status, 200);
    EXPECT_EQ(s.value("skynet_test_up"), 1.0);
}

TEST(MetricsExposer, RefusesAMalformedAddress) {
    EXPECT_THROW(exposer("127.0.0.1"), std::invalid_argument);
    EXPECT_THROW(exposer("127.0.0.1:http"), std::invalid_argument);
    EXPECT_THROW(exposer("127.0.0.1:70000"), std::invalid_argument);
    EXPECT_EQ(parse_listen(":9100").host, "0.0.0.0");
}

TEST(MetricsExposer, APortInUseIsARuntimeError) {
    exposer first("127.0.0.1:0");
    EXPECT_THROW(exposer("127.0.0.1:" + std::to_string(first.port())), std::runtime_error);
}

}  // namespace
}  // namespace skynet::metrics
