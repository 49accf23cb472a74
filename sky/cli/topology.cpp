// topology: region -> host -> service@version -> instance, each instance with
// its state and live stats. Brokers appear under their host, before services.

#include "skynet/sky/topology.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/sky/records.hpp"

namespace skynet::sky {

namespace {

using registry::instance;

// "cpu 12%  mem 3.1/15.6 GiB  load 0.42 (2 cpus)  up 3h": what a daemon
// publishes about its host.
void print_host_figures(std::ostream& out, const registry::host_figures_record& f) {
    constexpr double gib = 1024.0 * 1024 * 1024;
    const auto one_decimal = [](double v) {
        char text[32];
        std::snprintf(text, sizeof(text), "%.1f", v);
        return std::string(text);
    };
    char load[32];
    std::snprintf(load, sizeof(load), "%.2f", static_cast<double>(f.load1) / 100);
    out << "  cpu " << f.cpu_percent << "%  mem "
        << one_decimal(
               static_cast<double>(f.memory_total - std::min(f.memory_available, f.memory_total)) /
               gib)
        << "/" << one_decimal(static_cast<double>(f.memory_total) / gib) << " GiB  load " << load
        << " (" << f.cpus << " cpus)  up " << f.uptime_s / 3600 << "h";
}

void print_other(std::ostream& out, const instance& r) {
    out << "    " << registry::to_string(r.kind) << " " << r.id;
    if (!r.endpoint.empty()) {
        out << "  " << r.endpoint;
    }
    if (!r.services.empty()) {
        std::string names;
        for (const auto& name : r.services) {
            names += (names.empty() ? "" : ",") + name;
        }
        out << "  serves " << names;
    }
    if (r.kind == registry::instance_kind::daemon) {
        print_host_figures(out, r.host_figures);
    }
    if (r.kind == registry::instance_kind::broker && r.load != registry::broker_load_record{}) {
        // What clients weigh it by (docs/design.md): idle brokers say nothing.
        out << "  queued " << r.load.queued << "  in flight " << r.load.in_flight << "  cpu "
            << r.load.cpu_percent << "%";
    }
    out << '\n';
}

void print_tree(std::ostream& out, const topology& t) {
    auto now = registry::wall_clock_ms();
    for (const auto& [region, hosts] : t) {
        out << region << '\n';
        for (const auto& [host, releases] : hosts) {
            out << "  " << host << '\n';
            for (const auto& [release, instances] : releases) {
                if (release.empty()) {
                    for (const auto& r : instances) {
                        print_other(out, r);
                    }
                    continue;
                }
                out << "    " << release << '\n';
                for (const auto& r : instances) {
                    out << "      " << r.id << "  " << state_of(r) << "  " << stats_text(r, now)
                        << '\n';
                }
            }
        }
    }
}

}  // namespace

int run_topology(session& s, const invocation& inv) {
    if (!inv.args.empty()) {
        throw usage_error("topology takes no arguments (got '" + inv.args.front() + "')");
    }
    int code = exit_code::ok;
    auto found = s.find(inv.filter, code);
    if (!found) {
        return code;
    }
    auto t = build_topology(std::move(*found));
    if (inv.json) {
        s.out << topology_json(t).dump() << '\n';
    } else {
        print_tree(s.out, t);
    }
    s.out.flush();
    return exit_code::ok;
}

}  // namespace skynet::sky
