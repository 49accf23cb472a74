#include "skynet/sky/records.hpp"

#include <algorithm>
#include <cstdio>

namespace skynet::sky {

std::string release_of(const registry::instance& r) {
    if (r.service.empty()) {
        return "-";
    }
    return r.version.empty() ? r.service : r.service + "@" + r.version;
}

std::string state_of(const registry::instance& r) {
    if (r.draining) {
        return "draining";  // registered or not, it is leaving
    }
    return r.registered ? "registered" : "unregistered";
}

std::string latency_text(std::uint64_t us) {
    char text[32];
    if (us < 1000) {
        std::snprintf(text, sizeof text, "%lluus", static_cast<unsigned long long>(us));
    } else if (us < 1000000) {
        std::snprintf(text, sizeof text, "%.1fms", static_cast<double>(us) / 1000);
    } else {
        std::snprintf(text, sizeof text, "%.2fs", static_cast<double>(us) / 1000000);
    }
    return text;
}

std::string age_text(std::int64_t at_ms, std::int64_t now_ms) {
    if (at_ms <= 0) {
        return "never";
    }
    auto seconds = std::max<std::int64_t>(0, (now_ms - at_ms) / 1000);
    if (seconds < 120) {
        return std::to_string(seconds) + "s ago";
    }
    if (seconds < 7200) {
        return std::to_string(seconds / 60) + "m ago";
    }
    return std::to_string(seconds / 3600) + "h ago";
}

std::string stats_text(const registry::instance& r, std::int64_t now_ms) {
    const auto& s = r.stats;
    return "requests=" + std::to_string(s.requests) + " errors=" + std::to_string(s.errors) +
           " avg=" + latency_text(s.latency_avg_us) + " p99=" + latency_text(s.latency_p99_us) +
           " last=" + age_text(s.last_request_at, now_ms);
}

namespace {

nlohmann::json record_json(const registry::instance& r) {
    return nlohmann::json{
        {"id", r.id},
        {"kind", std::string(registry::to_string(r.kind))},
        {"service", r.service},
        {"version", r.version},
        {"region", r.region},
        {"host", r.host},
        {"pid", r.pid},
        {"endpoint", r.endpoint},
        {"broker", r.broker},
        {"registered", r.registered},
        {"draining", r.draining},  // in its graceful stop: about to leave
        {"started_at", r.started_at},
        {"updated_at", r.updated_at},
        {"methods", r.methods},
        {"services", r.services},
        {"stats",
         {{"requests", r.stats.requests},
          {"errors", r.stats.errors},
          {"latency_avg_us", r.stats.latency_avg_us},
          {"latency_p50_us", r.stats.latency_p50_us},
          {"latency_p95_us", r.stats.latency_p95_us},
          {"latency_p99_us", r.stats.latency_p99_us},
          {"last_request_at", r.stats.last_request_at},
          {"last_error", r.stats.last_error},
          {"clients", r.stats.clients}}},
        {"managed_by", r.managed_by},  // the daemon's id; empty: not managed
    };
}

}  // namespace

nlohmann::json to_json(const registry::instance& r) {
    auto j = record_json(r);
    if (r.kind == registry::instance_kind::daemon) {
        const auto& f = r.host_figures;
        j["host_figures"] = {{"cpu_percent", f.cpu_percent},
                             {"cpus", f.cpus},
                             {"memory_total", f.memory_total},
                             {"memory_available", f.memory_available},
                             {"load1", f.load1},
                             {"load5", f.load5},
                             {"load15", f.load15},
                             {"uptime_s", f.uptime_s}};
    }
    if (r.kind == registry::instance_kind::broker) {
        j["load"] = {{"queued", r.load.queued},
                     {"in_flight", r.load.in_flight},
                     {"cpu_percent", r.load.cpu_percent}};
    }
    return j;
}

}  // namespace skynet::sky
