#pragma once
// Handling times of a worker's requests, for the figures it publishes in the
// registry (average, p50, p95 and p99). Recording is a few relaxed atomic adds, from
// any thread, with no lock and no allocation; reading diffs two snapshots,
// so that figures describe the last interval rather than all of history.

#include <array>
#include <atomic>
#include <bit>
#include <cstdint>

namespace skynet::worker_detail {

class latency_histogram {
public:
    // Buckets of about 25% width: exact below 16 us, then four per power of
    // two up to 2^40 us (twelve days), which is more than any handler takes.
    static constexpr std::size_t bucket_count = 16 + 4 * 37;

    struct snapshot {
        std::array<std::uint64_t, bucket_count> counts{};
        std::uint64_t total_us = 0;
        std::uint64_t requests = 0;
    };

    void record(std::uint64_t micros) noexcept {
        buckets_[bucket_of(micros)].fetch_add(1, std::memory_order_relaxed);
        total_us_.fetch_add(micros, std::memory_order_relaxed);
        requests_.fetch_add(1, std::memory_order_relaxed);
    }

    snapshot take() const noexcept {
        snapshot s;
        for (std::size_t i = 0; i < bucket_count; ++i) {
            s.counts[i] = buckets_[i].load(std::memory_order_relaxed);
        }
        s.total_us = total_us_.load(std::memory_order_relaxed);
        s.requests = requests_.load(std::memory_order_relaxed);
        return s;
    }

    // Average and 99th percentile (upper bound of its bucket) of what was
    // recorded between two snapshots; zeros if nothing was.
    struct figures {
        std::uint64_t average_us = 0;
        std::uint64_t p99_us = 0;
        std::uint64_t p50_us = 0;
        std::uint64_t p95_us = 0;
    };
    static figures between(const snapshot& earlier, const snapshot& later) noexcept {
        const auto n = later.requests - earlier.requests;
        if (n == 0) {
            return {};
        }
        figures f;
        f.average_us = (later.total_us - earlier.total_us) / n;
        f.p50_us = percentile(earlier, later, n - n / 2);
        f.p95_us = percentile(earlier, later, n - n / 20);
        f.p99_us = percentile(earlier, later, n - n / 100);
        return f;
    }

    // The upper bound of the bucket holding the rank-th request (1-based).
    static std::uint64_t percentile(const snapshot& earlier, const snapshot& later,
                                    std::uint64_t rank) noexcept {
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < bucket_count; ++i) {
            seen += later.counts[i] - earlier.counts[i];
            if (seen >= rank) {
                return upper_bound_of(i);
            }
        }
        return 0;
    }

    static std::size_t bucket_of(std::uint64_t micros) noexcept {
        if (micros < 16) {
            return static_cast<std::size_t>(micros);
        }
        const auto exponent = static_cast<std::size_t>(std::bit_width(micros) - 1);  // >= 4
        const auto sub = static_cast<std::size_t>((micros >> (exponent - 2)) & 3);
        const auto index = 16 + (exponent - 4) * 4 + sub;
        return index < bucket_count ? index : bucket_count - 1;
    }

    static std::uint64_t upper_bound_of(std::size_t bucket) noexcept {
        if (bucket < 16) {
            return bucket;
        }
        const auto exponent = (bucket - 16) / 4 + 4;
        const auto sub = (bucket - 16) % 4;
        return ((4 + sub + 1) << (exponent - 2)) - 1;
    }

private:
    std::array<std::atomic<std::uint64_t>, bucket_count> buckets_{};
    std::atomic<std::uint64_t> total_us_{0};
    std::atomic<std::uint64_t> requests_{0};
};

}  // namespace skynet::worker_detail
