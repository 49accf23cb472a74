#pragma once
// Counter tables. A component declares each of its counters once, in a list
// macro of X(name, kind, help) rows beside its public stats struct:
//
//     #define SKYNET_BROKER_COUNTERS(X) (backslash at each line's end)
//         X(requests, counter, "Client requests received.")
//         X(queued, gauge, "Requests now waiting for a worker.")
//
// `counter` only grows; `gauge` is a level now. From the list come the
// public struct of plain values (expanded in the component's public header,
// which needs nothing from here), the live cells its threads write
// (SKYNET_COUNTER_CELL or SKYNET_ATOMIC_COUNTER_CELL), their snapshot
// (SKYNET_COUNTER_COPY), and the table (SKYNET_COUNTER_TABLE) that renders
// any snapshot as a BSON document (mmi.stats), reads one back, and writes it
// in the Prometheus text format. Adding a row changes every one of them.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "skynet/bus/bson.hpp"

namespace skynet::runtime {

enum class counter_kind { counter, gauge };

// One row of a table, naming a field of `Stats`.
template <class Stats>
struct counter_row {
    std::string_view name;  // snake_case: the mmi.stats key, and the Prometheus stem
    counter_kind kind;
    std::string_view help;  // one line: what it counts
    std::uint64_t Stats::*value;
};

// A live counter with one writer thread (the broker's loop) and readers on
// any: relaxed atomics, and a load and a store rather than a locked
// read-modify-write, since nobody else writes.
class counter {
public:
    void add(std::uint64_t n = 1) noexcept {
        value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    void set(std::uint64_t n) noexcept { value_.store(n, std::memory_order_relaxed); }
    std::uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

inline std::uint64_t value_of(const counter& c) noexcept {
    return c.get();
}
inline std::uint64_t value_of(const std::atomic<std::uint64_t>& c) noexcept {
    return c.load(std::memory_order_relaxed);
}

// Appends one counter in the Prometheus text format (version 0.0.4):
// `# HELP`, `# TYPE` and the sample, named `<prefix>_<name>` and, for a
// counter, `_total` after it, as Prometheus names counters.
void write_prometheus(std::string& out, std::string_view prefix, std::string_view name,
                      counter_kind kind, std::string_view help, std::uint64_t value);

// Every row of `table` as an int64 field of `doc`, in the table's order.
template <class Stats, std::size_t N>
void write_bson(const std::array<counter_row<Stats>, N>& table, const Stats& stats,
                bus::bson_doc& doc) {
    for (const auto& row : table) {
        doc.add_int64(row.name, static_cast<std::int64_t>(stats.*row.value));
    }
}

// The values a document holds for the table's rows; a row it lacks (an
// older peer's document), or holds as another type, reads 0.
template <class Stats, std::size_t N>
Stats read_bson(const std::array<counter_row<Stats>, N>& table, const bus::bson_view& doc) {
    Stats stats{};
    for (const auto& row : table) {
        stats.*row.value = static_cast<std::uint64_t>(doc.get_int64(row.name).value_or(0));
    }
    return stats;
}

// Every row of `table`, appended to `out` in the Prometheus text format;
// `prefix` is the component's ("skynet_broker").
template <class Stats, std::size_t N>
void write_prometheus(const std::array<counter_row<Stats>, N>& table, const Stats& stats,
                      std::string_view prefix, std::string& out) {
    for (const auto& row : table) {
        write_prometheus(out, prefix, row.name, row.kind, row.help, stats.*row.value);
    }
}

}  // namespace skynet::runtime

// The rows of a list as a table over `Stats`: a constant expression, e.g.
//     constexpr auto table = SKYNET_COUNTER_TABLE(broker_stats, SKYNET_BROKER_COUNTERS);
#define SKYNET_COUNTER_TABLE(Stats, LIST)            \
    ([] {                                            \
        using skynet_counted_ = Stats;               \
        return std::array{LIST(SKYNET_COUNTER_ROW)}; \
    }())
#define SKYNET_COUNTER_ROW(name, kind, help)                                                      \
    ::skynet::runtime::counter_row<skynet_counted_>{#name, ::skynet::runtime::counter_kind::kind, \
                                                    help, &skynet_counted_::name},

// A struct's live cells, one per row: written by one thread...
#define SKYNET_COUNTER_CELL(name, kind, help) ::skynet::runtime::counter name;
// ...or by many (fetch_add and fetch_sub).
#define SKYNET_ATOMIC_COUNTER_CELL(name, kind, help) std::atomic<std::uint64_t> name{0};
// In a snapshot function: copies the cell `name` into a local stats struct `s`.
#define SKYNET_COUNTER_COPY(name, kind, help) s.name = ::skynet::runtime::value_of(name);
