#include "skynet/metrics/families.hpp"

#include <prometheus/text_serializer.h>

#include <limits>

namespace skynet::metrics {

namespace {
family make(std::string name, std::string help, prometheus::MetricType type) {
    family f;
    f.name = std::move(name);
    f.help = std::move(help);
    f.type = type;
    return f;
}
}  // namespace

family counter_family(std::string name, std::string help) {
    return make(std::move(name), std::move(help), prometheus::MetricType::Counter);
}

family gauge_family(std::string name, std::string help) {
    return make(std::move(name), std::move(help), prometheus::MetricType::Gauge);
}

family histogram_family(std::string name, std::string help) {
    return make(std::move(name), std::move(help), prometheus::MetricType::Histogram);
}

void add_value(family& f, std::vector<label> labels, double value) {
    auto& m = f.metric.emplace_back();
    m.label = std::move(labels);
    if (f.type == prometheus::MetricType::Counter) {
        m.counter.value = value;
    } else {
        m.gauge.value = value;
    }
}

void add_histogram(family& f, std::vector<label> labels, const duration_snapshot& s) {
    auto& m = f.metric.emplace_back();
    m.label = std::move(labels);
    auto& h = m.histogram;
    h.bucket.reserve(s.counts.size());
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < s.counts.size(); ++i) {
        cumulative += s.counts[i];
        auto& b = h.bucket.emplace_back();
        b.cumulative_count = cumulative;
        b.upper_bound = i < duration_bounds_us.size()
                            ? static_cast<double>(duration_bounds_us[i]) / 1e6
                            : std::numeric_limits<double>::infinity();
    }
    h.sample_count = cumulative;
    h.sample_sum = static_cast<double>(s.sum_us) / 1e6;
}

void add_row(families& out, std::string_view prefix, std::string_view name,
             runtime::counter_kind kind, std::string_view help, std::uint64_t value) {
    std::string full(prefix);
    full += '_';
    full += name;
    const bool counter = kind == runtime::counter_kind::counter;
    if (counter) {
        full += "_total";
    }
    auto f = counter ? counter_family(std::move(full), std::string(help))
                     : gauge_family(std::move(full), std::string(help));
    add_value(f, {}, static_cast<double>(value));
    out.push_back(std::move(f));
}

std::string text_of(const families& list) {
    return prometheus::TextSerializer().Serialize(list);
}

}  // namespace skynet::metrics
