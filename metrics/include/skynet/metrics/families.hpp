#pragma once
// Building prometheus-cpp MetricFamily lists at scrape time: from our
// counter tables (runtime/counter_table.hpp, so that mmi.stats, sky and
// /metrics read the same cells), and from labelled values and duration
// histograms. prometheus-cpp serialises them (TextSerializer), never us.

#include <prometheus/metric_family.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/metrics/duration_histogram.hpp"
#include "skynet/runtime/counter_table.hpp"

namespace skynet::metrics {

using family = prometheus::MetricFamily;
using families = std::vector<prometheus::MetricFamily>;
using label = prometheus::ClientMetric::Label;

// An empty family. A counter's name should end in _total, a histogram's in
// a base unit (_seconds).
family counter_family(std::string name, std::string help);
family gauge_family(std::string name, std::string help);
family histogram_family(std::string name, std::string help);

// One sample of a counter or gauge family, with its labels.
void add_value(family& f, std::vector<label> labels, double value);
// One labelled histogram, from a snapshot (bounds in seconds, cumulative).
void add_histogram(family& f, std::vector<label> labels, const duration_snapshot& s);

// One unlabelled family per row: `<prefix>_<name>`, with _total after a
// counter's name, as runtime::write_prometheus names them.
void add_row(families& out, std::string_view prefix, std::string_view name,
             runtime::counter_kind kind, std::string_view help, std::uint64_t value);

template <class Stats, std::size_t N>
void add_counter_table(families& out, const std::array<runtime::counter_row<Stats>, N>& table,
                       const Stats& stats, std::string_view prefix) {
    for (const auto& row : table) {
        add_row(out, prefix, row.name, row.kind, row.help, stats.*row.value);
    }
}

// The text format (0.0.4), by prometheus-cpp's TextSerializer: what
// /metrics serves, for tests and the benchmark.
std::string text_of(const families& list);

}  // namespace skynet::metrics
