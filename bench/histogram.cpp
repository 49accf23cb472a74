#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace skynet::bench {

// Values below sub_count are exact; above, the top sub_bits+1 bits pick the bucket.
int latency_histogram::index_of(std::uint64_t value) noexcept {
    if (value < sub_count) {
        return static_cast<int>(value);
    }
    const int exponent = std::bit_width(value) - 1;  // >= sub_bits
    const int shift = exponent - sub_bits;
    const auto sub = static_cast<int>((value >> shift) - sub_count);
    return sub_count + shift * sub_count + sub;
}

std::uint64_t latency_histogram::middle_of(int index) noexcept {
    if (index < sub_count) {
        return static_cast<std::uint64_t>(index);
    }
    const int shift = (index - sub_count) / sub_count;
    const auto sub = static_cast<std::uint64_t>((index - sub_count) % sub_count + sub_count);
    const std::uint64_t width = std::uint64_t{1} << shift;
    return (sub << shift) + width / 2;
}

void latency_histogram::record(std::chrono::nanoseconds latency) noexcept {
    const auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(latency.count(), 0));
    ++buckets_[static_cast<std::size_t>(index_of(ns))];
    ++count_;
}

void latency_histogram::merge(const latency_histogram& other) noexcept {
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        buckets_[i] += other.buckets_[i];
    }
    count_ += other.count_;
}

std::chrono::nanoseconds latency_histogram::percentile(double percent) const noexcept {
    if (count_ == 0) {
        return std::chrono::nanoseconds(0);
    }
    // The rank of the sample wanted, 1-based: p999 of 1,000 samples is the largest.
    const auto rank = static_cast<std::uint64_t>(
        std::max(1.0, std::ceil(percent / 100.0 * static_cast<double>(count_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        seen += buckets_[i];
        if (seen >= rank) {
            return std::chrono::nanoseconds(middle_of(static_cast<int>(i)));
        }
    }
    return std::chrono::nanoseconds(middle_of(bucket_count - 1));
}

}  // namespace skynet::bench
