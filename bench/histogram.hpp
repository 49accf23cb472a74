#pragma once
// Latencies in log-linear buckets (64 per power of two: under 1.6% error),
// cheap enough to record every request. One per thread; merge() at the end.

#include <array>
#include <chrono>
#include <cstdint>

namespace skynet::bench {

class latency_histogram {
public:
    void record(std::chrono::nanoseconds latency) noexcept;
    void merge(const latency_histogram& other) noexcept;
    std::uint64_t count() const noexcept { return count_; }
    // The latency below which `percent` of the samples fall (0 if empty).
    std::chrono::nanoseconds percentile(double percent) const noexcept;

private:
    static constexpr int sub_bits = 6;
    static constexpr int sub_count = 1 << sub_bits;
    static constexpr int bucket_count = sub_count * (64 - sub_bits + 1);
    static int index_of(std::uint64_t value) noexcept;
    static std::uint64_t middle_of(int index) noexcept;

    std::array<std::uint64_t, bucket_count> buckets_{};
    std::uint64_t count_ = 0;
};

}  // namespace skynet::bench
