#include "skynet/daemon/pressure.hpp"

#include <cstdio>
#include <stdexcept>

namespace skynet::daemon {

namespace {

std::string format(const char* pattern, double value, double limit) {
    char text[128];
    std::snprintf(text, sizeof text, pattern, value, limit);
    return text;
}

constexpr double mib = 1024.0 * 1024.0;

std::string duration_text(std::chrono::milliseconds d) {
    return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + " s"
                                 : std::to_string(d.count()) + " ms";
}

}  // namespace

pressure::pressure(pressure_limits limits) : limits_(limits) {
    if (limits_.over_for.count() < 0 || limits_.under_for.count() < 0 ||
        limits_.cpu_percent.value_or(0) < 0 || limits_.load_per_cpu.value_or(0) < 0) {
        throw std::invalid_argument(
            "pressure_limits: over_for, under_for, cpu_percent and load_per_cpu must not be "
            "negative");
    }
}

// The first limit the sample is above, as a reason; empty if none.
std::string pressure::over_limit(const pressure_sample& s) const {
    if (limits_.cpu_percent && s.cpu_percent > *limits_.cpu_percent) {
        return format("cpu %.0f%% above its limit %.0f%%", s.cpu_percent, *limits_.cpu_percent);
    }
    if (limits_.rss_bytes && s.rss_bytes > *limits_.rss_bytes) {
        return format("rss %.1f MiB above its limit %.1f MiB",
                      static_cast<double>(s.rss_bytes) / mib,
                      static_cast<double>(*limits_.rss_bytes) / mib);
    }
    if (limits_.load_per_cpu && s.load_per_cpu > *limits_.load_per_cpu) {
        return format("host load %.2f per cpu above its limit %.2f", s.load_per_cpu,
                      *limits_.load_per_cpu);
    }
    return {};
}

std::optional<pressure_decision> pressure::restart_check(const pressure_sample& s) {
    if (!limits_.restart_rss_bytes) {
        return std::nullopt;
    }
    if (s.rss_bytes <= *limits_.restart_rss_bytes) {
        restart_said_ = false;
        return std::nullopt;
    }
    if (restart_said_) {
        return std::nullopt;
    }
    restart_said_ = true;
    return pressure_decision{pressure_action::restart,
                             format("rss %.1f MiB above its restart limit %.1f MiB",
                                    static_cast<double>(s.rss_bytes) / mib,
                                    static_cast<double>(*limits_.restart_rss_bytes) / mib)};
}

pressure_decision pressure::feed(const pressure_sample& sample, time_point now) {
    if (auto restart = restart_check(sample)) {
        return *restart;
    }
    const std::string over = over_limit(sample);
    if (!over.empty()) {
        under_since_.reset();
        if (!over_since_) {
            over_since_ = now;
        }
        if (!out_ && now - *over_since_ >= limits_.over_for) {
            out_ = true;
            reason_ = over + " for " + duration_text(limits_.over_for);
            return {pressure_action::take_out, reason_};
        }
        return {};
    }
    over_since_.reset();
    if (!under_since_) {
        under_since_ = now;
    }
    if (out_ && now - *under_since_ >= limits_.under_for) {
        out_ = false;
        reason_.clear();
        return {pressure_action::put_back,
                "below every limit for " + duration_text(limits_.under_for)};
    }
    return {};
}

void pressure::reset() {
    out_ = false;
    restart_said_ = false;
    reason_.clear();
    over_since_.reset();
    under_since_.reset();
}

}  // namespace skynet::daemon
