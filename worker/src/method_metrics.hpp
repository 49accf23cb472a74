#pragma once
// Per-method outcome counts and handling-time histograms of a worker, for
// its /metrics (docs/metrics.md), and the last failure, for its registry
// record. The methods are fixed at start(): cells are found by a binary
// search over them, and written with relaxed atomic adds from any thread,
// with no lock and no allocation. A method no handler serves shares one
// cell, "(unknown)", so that callers cannot grow the label set; raw
// (plain 7/MDP) requests count under "(raw)".

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/errc.hpp"
#include "skynet/metrics/duration_histogram.hpp"

namespace skynet::worker_detail {

struct method_cells {
    explicit method_cells(std::string n) : name(std::move(n)) {}
    std::string name;
    std::array<std::atomic<std::uint64_t>, bus::errc_max + 1> outcomes{};
    metrics::duration_histogram duration;
};

class method_metrics {
public:
    inline static const std::string unknown = "(unknown)";
    inline static const std::string raw = "(raw)";

    // Once, before requests arrive (worker::start).
    void configure(std::vector<std::string> methods);

    // A request of `method` (empty and raw: "(raw)") ended with `code` after
    // `micros`. Any thread.
    void record(std::string_view method, bool is_raw, bus::errc code,
                std::uint64_t micros) noexcept;
    // One that no handler ran (unknown method, expired, malformed): its
    // outcome only, no handling time.
    void refused(std::string_view method, bool is_raw, bus::errc code) noexcept;

    // Every method's cells, sorted by name; valid while this object lives.
    const std::vector<std::unique_ptr<method_cells>>& cells() const noexcept { return cells_; }

    // The last failure, "CODE: detail" (error path only: takes a lock).
    void failed(bus::errc code, std::string_view detail);
    std::string last_error() const;

private:
    method_cells* find(std::string_view method) const noexcept;
    method_cells* cells_for(std::string_view method, bool is_raw) const noexcept;

    std::vector<std::unique_ptr<method_cells>> cells_;
    method_cells* unknown_ = nullptr;
    method_cells* raw_ = nullptr;
    mutable std::mutex error_mutex_;
    std::string last_error_;
};

}  // namespace skynet::worker_detail
