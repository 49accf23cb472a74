#include "skynet/registry/codec.hpp"

#include <charconv>
#include <limits>

namespace skynet::registry {

namespace {

using bus::errc;
using bus::error;
using bus::result;

std::string join_names(const std::vector<std::string>& methods) {
    std::string out;
    for (const auto& name : methods) {
        if (name.empty() || name.find(',') != std::string::npos) {
            continue;
        }
        if (!out.empty()) {
            out += ',';
        }
        out += name;
    }
    return out;
}

std::vector<std::string> split_names(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto name = text.substr(0, comma);
        if (!name.empty()) {
            out.emplace_back(name);
        }
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return out;
}

// A whole decimal number of type T, nothing else (no sign for unsigned, no
// spaces, no trailing bytes).
template <class T>
bool parse_number(std::string_view text, T& out) noexcept {
    if (text.empty()) {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

error bad_field(std::string_view name, std::string_view why) {
    return error{errc::bad_request,
                 "instance record: field " + std::string(name) + " " + std::string(why)};
}

// A host daemon's figure; false if `name` is one and its value is bad.
bool decode_figure(host_figures_record& f, std::string_view name, std::string_view value) noexcept {
    const std::pair<std::string_view, std::uint64_t*> figures[] = {
        {field::cpu_percent, &f.cpu_percent},
        {field::cpus, &f.cpus},
        {field::memory_total, &f.memory_total},
        {field::memory_available, &f.memory_available},
        {field::load1, &f.load1},
        {field::load5, &f.load5},
        {field::load15, &f.load15},
        {field::uptime_s, &f.uptime_s},
    };
    for (const auto& [figure, target] : figures) {
        if (name == figure) {
            return parse_number(value, *target);
        }
    }
    return true;
}

// A broker's load figure; false if `name` is one and its value is bad.
bool decode_load(broker_load_record& l, std::string_view name, std::string_view value) noexcept {
    const std::pair<std::string_view, std::uint64_t*> figures[] = {
        {field::load_queued, &l.queued},
        {field::load_in_flight, &l.in_flight},
        {field::load_cpu_percent, &l.cpu_percent},
    };
    for (const auto& [figure, target] : figures) {
        if (name == figure) {
            return parse_number(value, *target);
        }
    }
    return true;
}

// A flag: "1" or "true", "0" or "false"; false if it is neither.
bool parse_flag(std::string_view text, bool& out) noexcept {
    out = text == "1" || text == "true";
    return out || text == "0" || text == "false";
}

// Decodes one field into `record`; false if its value is bad.
bool decode_field(instance& record, std::string_view name, std::string_view value) noexcept {
    auto& s = record.stats;
    if (name == field::kind) {
        auto kind = kind_from_string(value);
        record.kind = kind.value_or(instance_kind::worker);
        return kind.has_value();
    }
    if (name == field::registered) {
        return parse_flag(value, record.registered);
    }
    if (name == field::draining) {
        return parse_flag(value, record.draining);
    }
    if (name == field::pid) {
        return parse_number(value, record.pid);
    }
    if (name == field::started_at) {
        return parse_number(value, record.started_at);
    }
    if (name == field::updated_at) {
        return parse_number(value, record.updated_at);
    }
    if (name == field::requests) {
        return parse_number(value, s.requests);
    }
    if (name == field::errors) {
        return parse_number(value, s.errors);
    }
    if (name == field::latency_avg_us) {
        return parse_number(value, s.latency_avg_us);
    }
    if (name == field::latency_p99_us) {
        return parse_number(value, s.latency_p99_us);
    }
    if (name == field::latency_p50_us) {
        return parse_number(value, s.latency_p50_us);
    }
    if (name == field::latency_p95_us) {
        return parse_number(value, s.latency_p95_us);
    }
    if (name == field::last_request_at) {
        return parse_number(value, s.last_request_at);
    }
    if (name == field::clients) {
        return parse_number(value, s.clients);
    }
    return true;
}

// The text fields, which take any bytes.
std::string* text_field(instance& record, std::string_view name) noexcept {
    if (name == field::id) {
        return &record.id;
    }
    if (name == field::service) {
        return &record.service;
    }
    if (name == field::version) {
        return &record.version;
    }
    if (name == field::region) {
        return &record.region;
    }
    if (name == field::host) {
        return &record.host;
    }
    if (name == field::endpoint) {
        return &record.endpoint;
    }
    if (name == field::broker) {
        return &record.broker;
    }
    if (name == field::managed_by) {
        return &record.managed_by;
    }
    if (name == field::curve_key) {
        return &record.curve_key;
    }
    if (name == field::last_error) {
        return &record.stats.last_error;
    }
    return nullptr;
}

result<instance> decode_fields(std::span<const field_view> fields) {
    instance record;
    bool has_kind = false;
    for (const auto& [name, value] : fields) {
        if (auto* text = text_field(record, name)) {
            text->assign(value);
        } else if (name == field::methods) {
            record.methods = split_names(value);
        } else if (name == field::services) {
            record.services = split_names(value);
        } else if (!decode_field(record, name, value) ||
                   !decode_figure(record.host_figures, name, value) ||
                   !decode_load(record.load, name, value)) {
            return bad_field(name, "has a bad value");
        }
        has_kind = has_kind || name == field::kind;
    }
    if (record.id.empty()) {
        return bad_field(field::id, "is missing or empty");
    }
    if (!has_kind) {
        return bad_field(field::kind, "is missing");
    }
    // Host figures belong to daemons (only theirs are written); a worker's
    // record carrying some would not read back the same once re-encoded.
    if (record.kind != instance_kind::daemon) {
        record.host_figures = {};
    }
    if (record.kind != instance_kind::broker) {
        record.load = {};  // likewise, a broker's
    }
    return record;
}

}  // namespace

namespace {

void encode_figures(const host_figures_record& f, std::vector<field_pair>& out) {
    const std::pair<std::string_view, std::uint64_t> figures[] = {
        {field::cpu_percent, f.cpu_percent},
        {field::cpus, f.cpus},
        {field::memory_total, f.memory_total},
        {field::memory_available, f.memory_available},
        {field::load1, f.load1},
        {field::load5, f.load5},
        {field::load15, f.load15},
        {field::uptime_s, f.uptime_s},
    };
    for (const auto& [name, value] : figures) {
        out.emplace_back(std::string(name), std::to_string(value));
    }
}

void encode_load(const broker_load_record& l, std::vector<field_pair>& out) {
    out.emplace_back(std::string(field::load_queued), std::to_string(l.queued));
    out.emplace_back(std::string(field::load_in_flight), std::to_string(l.in_flight));
    out.emplace_back(std::string(field::load_cpu_percent), std::to_string(l.cpu_percent));
}

std::vector<field_pair> encode_common(const instance& record) {
    const auto& s = record.stats;
    return {
        {std::string(field::id), record.id},
        {std::string(field::kind), std::string(to_string(record.kind))},
        {std::string(field::service), record.service},
        {std::string(field::version), record.version},
        {std::string(field::region), record.region},
        {std::string(field::host), record.host},
        {std::string(field::pid), std::to_string(record.pid)},
        {std::string(field::endpoint), record.endpoint},
        {std::string(field::broker), record.broker},
        {std::string(field::registered), record.registered ? "1" : "0"},
        {std::string(field::started_at), std::to_string(record.started_at)},
        {std::string(field::updated_at), std::to_string(record.updated_at)},
        {std::string(field::methods), join_names(record.methods)},
        {std::string(field::services), join_names(record.services)},
        {std::string(field::requests), std::to_string(s.requests)},
        {std::string(field::errors), std::to_string(s.errors)},
        {std::string(field::latency_avg_us), std::to_string(s.latency_avg_us)},
        {std::string(field::latency_p99_us), std::to_string(s.latency_p99_us)},
        {std::string(field::latency_p50_us), std::to_string(s.latency_p50_us)},
        {std::string(field::latency_p95_us), std::to_string(s.latency_p95_us)},
        {std::string(field::last_error), s.last_error},
        {std::string(field::last_request_at), std::to_string(s.last_request_at)},
        {std::string(field::clients), std::to_string(s.clients)},
    };
}

}  // namespace

std::vector<field_pair> encode_instance(const instance& record) {
    auto out = encode_common(record);
    if (!record.managed_by.empty()) {
        out.emplace_back(std::string(field::managed_by), record.managed_by);
    }
    if (!record.curve_key.empty()) {
        out.emplace_back(std::string(field::curve_key), record.curve_key);
    }
    if (record.draining) {
        out.emplace_back(std::string(field::draining), "1");
    }
    if (record.kind == instance_kind::daemon) {
        encode_figures(record.host_figures, out);
    }
    if (record.kind == instance_kind::broker) {
        encode_load(record.load, out);
    }
    return out;
}

result<instance> decode_instance(std::span<const field_view> fields) noexcept {
    // Only allocation can throw here; a record too large to copy is garbage too.
    try {
        return decode_fields(fields);
    } catch (const std::exception&) {
        return error{errc::bad_request, "instance record: out of memory decoding it"};
    }
}

}  // namespace skynet::registry
