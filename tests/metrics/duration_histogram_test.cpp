// The lock-free duration histogram: which bucket a time falls in, what a
// snapshot counts, and the quantiles the worker publishes from it.
#include "skynet/metrics/duration_histogram.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "skynet/metrics/families.hpp"

namespace skynet::metrics {
namespace {

TEST(DurationHistogram, BucketsIncludeTheirUpperBound) {
    EXPECT_EQ(duration_histogram::bucket_of(0), 0u);
    EXPECT_EQ(duration_histogram::bucket_of(100), 0u);
    EXPECT_EQ(duration_histogram::bucket_of(101), 1u);
    EXPECT_EQ(duration_histogram::bucket_of(10'000'000), duration_bounds_us.size() - 1);
    EXPECT_EQ(duration_histogram::bucket_of(10'000'001), duration_bounds_us.size());
}

TEST(DurationHistogram, SnapshotCountsEverySampleFromManyThreads) {
    duration_histogram h;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&h] {
            for (int i = 0; i < 1000; ++i) {
                h.record_shared(static_cast<std::uint64_t>(i));
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    const auto s = h.snapshot();
    EXPECT_EQ(s.count(), 4000u);
    EXPECT_EQ(s.sum_us, 4u * (999u * 1000u / 2u));
    EXPECT_EQ(s.counts[0], 4u * 101u);  // 0..100 us
}

TEST(DurationHistogram, QuantilesAreBucketBounds) {
    duration_histogram h;
    for (int i = 0; i < 90; ++i) {
        h.record(40);  // first bucket: 100 us
    }
    for (int i = 0; i < 10; ++i) {
        h.record(2'000);  // the 2,500 us bucket
    }
    const auto s = h.snapshot();
    EXPECT_EQ(s.quantile_us(0.5), 100u);
    EXPECT_EQ(s.quantile_us(0.95), 2'500u);
    EXPECT_EQ(duration_snapshot{}.quantile_us(0.5), 0u);
}

TEST(DurationHistogram, BecomesACumulativePrometheusHistogram) {
    duration_histogram h;
    h.record(10);
    h.record(20'000'000);  // past every bound: +Inf only
    auto f = histogram_family("x_seconds", "test");
    add_histogram(f, {{"method", "M"}}, h.snapshot());
    const auto text = text_of({f});
    EXPECT_NE(text.find("x_seconds_bucket{method=\"M\",le=\"0.0001\"} 1"), std::string::npos)
        << text;
    EXPECT_NE(text.find("x_seconds_bucket{method=\"M\",le=\"+Inf\"} 2"), std::string::npos) << text;
    EXPECT_NE(text.find("x_seconds_count{method=\"M\"} 2"), std::string::npos) << text;
}

}  // namespace
}  // namespace skynet::metrics
