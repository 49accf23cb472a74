// services, versions, hosts, regions, instances, methods: what the registry
// knows, filtered, as aligned tables or JSON.

#include <algorithm>
#include <map>
#include <ostream>
#include <set>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "records.hpp"
#include "table.hpp"

namespace skynet::sky {

namespace {

using registry::instance;
using registry::instance_kind;
using nlohmann::json;

// Workers unless --kind says otherwise: only they have services.
filters workers_of(const filters& f) {
    filters out = f;
    if (!out.kind) {
        out.kind = instance_kind::worker;
    }
    return out;
}

std::vector<std::string> listed(const std::set<std::string>& items) {
    return {items.begin(), items.end()};
}

void ensure_no_args(const invocation& inv) {
    if (!inv.args.empty()) {
        throw usage_error(inv.command + " takes no arguments (got '" + inv.args.front() + "')");
    }
}

// Runs `body` over the matching instances; handles every failure.
template <class Body>
int with_instances(session& s, const invocation& inv, const filters& f, Body&& body) {
    ensure_no_args(inv);
    int code = exit_code::ok;
    auto found = s.find(f, code, inv.filter);
    if (!found) {
        return code;
    }
    std::sort(found->begin(), found->end(), [](const instance& a, const instance& b) {
        return std::tie(a.region, a.host, a.kind, a.service, a.version, a.id) <
               std::tie(b.region, b.host, b.kind, b.service, b.version, b.id);
    });
    body(*found);
    s.out.flush();
    return exit_code::ok;
}

struct group {
    std::set<std::string> versions, regions, hosts, methods;
    int instances = 0, registered = 0, brokers = 0, workers = 0;

    void count(const instance& r) {
        ++instances;
        registered += r.registered ? 1 : 0;
        brokers += r.kind == instance_kind::broker ? 1 : 0;
        workers += r.kind == instance_kind::worker ? 1 : 0;
        if (!r.version.empty()) {
            versions.insert(r.version);
        }
        regions.insert(r.region);
        hosts.insert(r.host);
        methods.insert(r.methods.begin(), r.methods.end());
    }
};

template <class Key>
std::map<std::string, group> grouped(const std::vector<instance>& all, Key&& key) {
    std::map<std::string, group> out;
    for (const auto& r : all) {
        out[key(r)].count(r);
    }
    return out;
}

}  // namespace

int run_services(session& s, const invocation& inv) {
    return with_instances(s, inv, workers_of(inv.filter), [&](const std::vector<instance>& all) {
        auto groups = grouped(all, [](const instance& r) { return r.service; });
        json list = json::array();
        table t({"SERVICE", "VERSIONS", "INSTANCES", "REGISTERED", "REGIONS"});
        for (const auto& [name, g] : groups) {
            list.push_back({{"service", name}, {"versions", listed(g.versions)},
                            {"instances", g.instances}, {"registered", g.registered},
                            {"regions", listed(g.regions)}});
            t.add({name, joined(listed(g.versions)), std::to_string(g.instances),
                   std::to_string(g.registered), joined(listed(g.regions))});
        }
        inv.json ? void(s.out << list.dump() << '\n') : t.print(s.out);
    });
}

int run_versions(session& s, const invocation& inv) {
    return with_instances(s, inv, workers_of(inv.filter), [&](const std::vector<instance>& all) {
        auto groups = grouped(all, [](const instance& r) { return release_of(r); });
        json list = json::array();
        table t({"SERVICE", "VERSION", "INSTANCES", "REGISTERED"});
        for (const auto& [release, g] : groups) {
            auto at = release.find('@');
            auto name = release.substr(0, at);
            auto version = at == std::string::npos ? "" : release.substr(at + 1);
            list.push_back({{"service", name}, {"version", version},
                            {"instances", g.instances}, {"registered", g.registered}});
            t.add({name, version.empty() ? "-" : version, std::to_string(g.instances),
                   std::to_string(g.registered)});
        }
        inv.json ? void(s.out << list.dump() << '\n') : t.print(s.out);
    });
}

int run_hosts(session& s, const invocation& inv) {
    return with_instances(s, inv, inv.filter, [&](const std::vector<instance>& all) {
        auto groups = grouped(all, [](const instance& r) { return r.host; });
        json list = json::array();
        table t({"HOST", "REGIONS", "BROKERS", "WORKERS", "INSTANCES"});
        for (const auto& [host, g] : groups) {
            list.push_back({{"host", host}, {"regions", listed(g.regions)},
                            {"brokers", g.brokers}, {"workers", g.workers},
                            {"instances", g.instances}});
            t.add({host, joined(listed(g.regions)), std::to_string(g.brokers),
                   std::to_string(g.workers), std::to_string(g.instances)});
        }
        inv.json ? void(s.out << list.dump() << '\n') : t.print(s.out);
    });
}

int run_regions(session& s, const invocation& inv) {
    return with_instances(s, inv, inv.filter, [&](const std::vector<instance>& all) {
        auto groups = grouped(all, [](const instance& r) { return r.region; });
        json list = json::array();
        table t({"REGION", "HOSTS", "BROKERS", "WORKERS", "INSTANCES"});
        for (const auto& [region, g] : groups) {
            list.push_back({{"region", region}, {"hosts", listed(g.hosts)},
                            {"brokers", g.brokers}, {"workers", g.workers},
                            {"instances", g.instances}});
            t.add({region, std::to_string(g.hosts.size()), std::to_string(g.brokers),
                   std::to_string(g.workers), std::to_string(g.instances)});
        }
        inv.json ? void(s.out << list.dump() << '\n') : t.print(s.out);
    });
}

int run_instances(session& s, const invocation& inv) {
    return with_instances(s, inv, inv.filter, [&](const std::vector<instance>& all) {
        json list = json::array();
        table t({"ID", "KIND", "SERVICE", "REGION", "HOST", "PID", "STATE", "REQUESTS",
                 "ERRORS"});
        for (const auto& r : all) {
            list.push_back(to_json(r));
            t.add({r.id, std::string(registry::to_string(r.kind)), release_of(r), r.region,
                   r.host, std::to_string(r.pid), state_of(r), std::to_string(r.stats.requests),
                   std::to_string(r.stats.errors)});
        }
        inv.json ? void(s.out << list.dump() << '\n') : t.print(s.out);
    });
}

int run_methods(session& s, const invocation& inv) {
    return with_instances(s, inv, workers_of(inv.filter), [&](const std::vector<instance>& all) {
        auto groups = grouped(all, [](const instance& r) { return release_of(r); });
        json list = json::array();
        table t({"SERVICE", "METHODS"});
        for (const auto& [release, g] : groups) {
            list.push_back({{"service", release}, {"methods", listed(g.methods)}});
            t.add({release, joined(listed(g.methods))});
        }
        inv.json ? void(s.out << list.dump() << '\n') : t.print(s.out);
    });
}

}  // namespace skynet::sky
