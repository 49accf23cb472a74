// topology: region -> host -> service@version -> instance, each instance with
// its state and live stats. Brokers appear under their host, before services.

#include <map>
#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "records.hpp"

namespace skynet::sky {

namespace {

using registry::instance;
using nlohmann::json;

// region -> host -> release -> instances ("" holds the brokers and daemons).
using tree = std::map<std::string, std::map<std::string, std::map<std::string,
                                                               std::vector<instance>>>>;

tree build(std::vector<instance> all) {
    tree t;
    for (auto& r : all) {
        auto release = r.kind == registry::instance_kind::worker ? release_of(r) : std::string();
        t[r.region][r.host][release].push_back(std::move(r));
    }
    return t;
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
    out << '\n';
}

void print_tree(std::ostream& out, const tree& t) {
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

json tree_json(const tree& t) {
    json regions = json::array();
    for (const auto& [region, hosts] : t) {
        json host_list = json::array();
        for (const auto& [host, releases] : hosts) {
            json others = json::array();
            json services = json::array();
            for (const auto& [release, instances] : releases) {
                json list = json::array();
                for (const auto& r : instances) {
                    (release.empty() ? others : list).push_back(to_json(r));
                }
                if (!release.empty()) {
                    services.push_back({{"service", release}, {"instances", list}});
                }
            }
            host_list.push_back({{"host", host}, {"brokers", others}, {"services", services}});
        }
        regions.push_back({{"region", region}, {"hosts", host_list}});
    }
    return regions;
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
    auto t = build(std::move(*found));
    if (inv.json) {
        s.out << tree_json(t).dump() << '\n';
    } else {
        print_tree(s.out, t);
    }
    s.out.flush();
    return exit_code::ok;
}

}  // namespace skynet::sky
