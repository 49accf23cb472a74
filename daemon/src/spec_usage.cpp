// The pressure and cgroup limits of a process spec in JSON (spec_usage.hpp).
#include "spec_usage.hpp"

namespace skynet::daemon::spec_usage {

namespace {

using nlohmann::json;

template <class T>
void put(json& out, const char* key, const std::optional<T>& value) {
    if (value) {
        out[key] = *value;
    }
}

// A number >= 0 (a whole one for T integral) at `key`, if there is one.
template <class T>
bool take(const json& in, const char* object, const char* key, std::optional<T>& out,
          std::string& why) {
    if (!in.contains(key)) {
        return true;
    }
    const auto& value = in.at(key);
    const bool whole = std::is_integral_v<T>;
    if (!value.is_number() || (whole && !value.is_number_integer()) || value.get<double>() < 0) {
        why = std::string(object) + "." + key + ": expected " +
              (whole ? "a whole number >= 0" : "a number >= 0");
        return false;
    }
    out = value.get<T>();
    return true;
}

bool take_ms(const json& in, const char* key, std::chrono::milliseconds& out, std::string& why) {
    std::optional<std::int64_t> ms;
    if (!take(in, "pressure", key, ms, why)) {
        return false;
    }
    if (ms) {
        out = std::chrono::milliseconds(*ms);
    }
    return true;
}

const json* object_at(const json& spec, const char* key, std::string& why, bool& bad) {
    bad = false;
    if (!spec.contains(key)) {
        return nullptr;
    }
    if (!spec.at(key).is_object()) {
        why = std::string(key) + ": expected an object";
        bad = true;
        return nullptr;
    }
    return &spec.at(key);
}

}  // namespace

void write_pressure(const pressure_limits& limits, json& spec) {
    if (!limits.any()) {
        return;
    }
    json out{{"over_for_ms", limits.over_for.count()}, {"under_for_ms", limits.under_for.count()}};
    put(out, "cpu_percent", limits.cpu_percent);
    put(out, "rss_bytes", limits.rss_bytes);
    put(out, "load_per_cpu", limits.load_per_cpu);
    put(out, "restart_rss_bytes", limits.restart_rss_bytes);
    spec["pressure"] = out;
}

void write_cgroup(const runtime::cgroup_limits& limits, json& spec) {
    if (limits.empty()) {
        return;
    }
    json out = json::object();
    put(out, "memory_max", limits.memory_max);
    put(out, "cpus", limits.cpus);
    put(out, "pids_max", limits.pids_max);
    spec["cgroup"] = out;
}

bool read_pressure(const json& spec, pressure_limits& out, std::string& why) {
    bool bad = false;
    const auto* in = object_at(spec, "pressure", why, bad);
    if (in == nullptr) {
        return !bad;
    }
    return take(*in, "pressure", "cpu_percent", out.cpu_percent, why) &&
           take(*in, "pressure", "rss_bytes", out.rss_bytes, why) &&
           take(*in, "pressure", "load_per_cpu", out.load_per_cpu, why) &&
           take(*in, "pressure", "restart_rss_bytes", out.restart_rss_bytes, why) &&
           take_ms(*in, "over_for_ms", out.over_for, why) &&
           take_ms(*in, "under_for_ms", out.under_for, why);
}

bool read_cgroup(const json& spec, runtime::cgroup_limits& out, std::string& why) {
    bool bad = false;
    const auto* in = object_at(spec, "cgroup", why, bad);
    if (in == nullptr) {
        return !bad;
    }
    if (!take(*in, "cgroup", "memory_max", out.memory_max, why) ||
        !take(*in, "cgroup", "cpus", out.cpus, why) ||
        !take(*in, "cgroup", "pids_max", out.pids_max, why)) {
        return false;
    }
    if (out.cpus && *out.cpus <= 0) {
        why = "cgroup.cpus: expected a number above 0";
        return false;
    }
    return true;
}

}  // namespace skynet::daemon::spec_usage
