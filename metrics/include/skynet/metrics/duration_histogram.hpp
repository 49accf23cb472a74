#pragma once
// A duration histogram for the hot path: fixed buckets (the same bounds in
// every process, so that dashboards can sum them), one relaxed atomic cell
// per bucket, no lock and no allocation. prometheus-cpp's own Histogram
// takes a mutex in Observe(), which a per-message path cannot afford; this
// one is read at scrape time into a prometheus histogram (families.hpp).
//
// Two ways to record: record() for a histogram one thread writes (the
// broker's loop: a load and a store per cell), record_shared() for one many
// threads write (a worker's handler threads: fetch_add).

#include <array>
#include <atomic>
#include <cstdint>

namespace skynet::metrics {

// Upper bounds in microseconds, 100 us to 10 s, 1 and 2.5 of each decade; a
// last cell counts the rest (Prometheus' +Inf bucket). Few on purpose: a
// broker serves one histogram per service, and with 10,000 services each
// bucket is 10,000 lines of every scrape (docs/metrics.md, "Cost").
inline constexpr std::array<std::uint64_t, 11> duration_bounds_us{
    100, 250, 1'000, 2'500, 10'000, 25'000, 100'000, 250'000, 1'000'000, 2'500'000, 10'000'000};

// What a histogram held at one moment: per-bucket (not cumulative) counts,
// the last one past every bound, and the sum of what was recorded.
struct duration_snapshot {
    std::array<std::uint64_t, duration_bounds_us.size() + 1> counts{};
    std::uint64_t sum_us = 0;

    std::uint64_t count() const noexcept {
        std::uint64_t n = 0;
        for (auto c : counts) {
            n += c;
        }
        return n;
    }
    // The bucket bound at or under which `fraction` (0.5, 0.95) of the
    // samples lie; the last bound if past every one; 0 when empty.
    std::uint64_t quantile_us(double fraction) const noexcept;
};

class duration_histogram {
public:
    static constexpr std::size_t bucket_of(std::uint64_t micros) noexcept {
        std::size_t i = 0;
        while (i < duration_bounds_us.size() && micros > duration_bounds_us[i]) {
            ++i;
        }
        return i;
    }

    // One writer thread only.
    void record(std::uint64_t micros) noexcept {
        bump(cells_[bucket_of(micros)], 1);
        bump(sum_us_, micros);
    }
    // Any thread.
    void record_shared(std::uint64_t micros) noexcept {
        cells_[bucket_of(micros)].fetch_add(1, std::memory_order_relaxed);
        sum_us_.fetch_add(micros, std::memory_order_relaxed);
    }

    duration_snapshot snapshot() const noexcept {
        duration_snapshot s;
        for (std::size_t i = 0; i < cells_.size(); ++i) {
            s.counts[i] = cells_[i].load(std::memory_order_relaxed);
        }
        s.sum_us = sum_us_.load(std::memory_order_relaxed);
        return s;
    }

private:
    static void bump(std::atomic<std::uint64_t>& cell, std::uint64_t n) noexcept {
        cell.store(cell.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }

    std::array<std::atomic<std::uint64_t>, duration_bounds_us.size() + 1> cells_{};
    std::atomic<std::uint64_t> sum_us_{0};
};

}  // namespace skynet::metrics
