#include "daemon_metrics.hpp"

#include <map>

namespace skynet::daemon {

namespace {
using metrics::label;

struct service_counts {
    double restarts = 0;
    double up = 0;
    double crash_looping = 0;
};

void add_services(metrics::families& out, const std::vector<process_row>& rows) {
    std::map<std::string, service_counts> by_service;
    for (const auto& row : rows) {
        auto& c = by_service[row.service];
        c.restarts += row.restarts;
        c.up += row.state == process_state::running ? 1 : 0;
        c.crash_looping += row.state == process_state::crash_looping ? 1 : 0;
    }
    auto restarts = metrics::counter_family(
        "skynet_skyd_restarts_total", "Restarts of a service's managed processes on this host.");
    auto up = metrics::gauge_family("skynet_skyd_up",
                                    "A service's managed processes running on this host now.");
    auto looping = metrics::gauge_family(
        "skynet_skyd_crash_looping",
        "A service's managed processes given up on as crash-looping on this host.");
    for (const auto& [service, c] : by_service) {
        metrics::add_value(restarts, {label{"service", service}}, c.restarts);
        metrics::add_value(up, {label{"service", service}}, c.up);
        metrics::add_value(looping, {label{"service", service}}, c.crash_looping);
    }
    out.push_back(std::move(restarts));
    out.push_back(std::move(up));
    out.push_back(std::move(looping));
}

void add_gauge(metrics::families& out, std::string name, std::string help, double value) {
    auto f = metrics::gauge_family(std::move(name), std::move(help));
    metrics::add_value(f, {}, value);
    out.push_back(std::move(f));
}

void add_host(metrics::families& out, const host_figures& f) {
    const auto& s = f.sample;
    add_gauge(out, "skynet_host_cpu_percent", "Busy CPU of the whole host, 0 to 100.",
              f.cpu_percent);
    add_gauge(out, "skynet_host_cpus", "Online CPUs.", s.cpus);
    add_gauge(out, "skynet_host_memory_total_bytes", "Memory (MemTotal).",
              static_cast<double>(s.memory_total));
    add_gauge(out, "skynet_host_memory_available_bytes", "Memory available (MemAvailable).",
              static_cast<double>(s.memory_available));
    add_gauge(out, "skynet_host_load1", "Load average over 1 minute.", s.load1);
    add_gauge(out, "skynet_host_load5", "Load average over 5 minutes.", s.load5);
    add_gauge(out, "skynet_host_load15", "Load average over 15 minutes.", s.load15);
    add_gauge(out, "skynet_host_uptime_seconds", "Time since the host booted.", s.uptime_s);
}
}  // namespace

metrics::families skyd_families(const daemon_view& view) {
    metrics::families out;
    add_services(out, view.rows);
    if (view.figures) {
        add_host(out, *view.figures);
    }
    return out;
}

daemon_metrics::daemon_metrics(const std::string& listen, std::function<daemon_view()> read)
    : http_(listen) {
    http_.add([read = std::move(read)] { return skyd_families(read()); });
}

}  // namespace skynet::daemon
