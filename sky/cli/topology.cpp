// topology: region -> host -> service@version -> instance, each instance with
// its state and live stats. Brokers appear under their host, before services.

#include "skynet/sky/topology.hpp"

#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/sky/records.hpp"

namespace skynet::sky {

namespace {

using registry::instance;

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
