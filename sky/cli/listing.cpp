// services, versions, hosts, regions, instances, methods: what the registry
// knows, filtered, as aligned tables or JSON (the views of skynet/sky/views.hpp).

#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/sky/records.hpp"
#include "skynet/sky/views.hpp"
#include "table.hpp"

namespace skynet::sky {

namespace {

using nlohmann::json;
using registry::instance;

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
    sort_for_listing(*found);
    body(*found);
    s.out.flush();
    return exit_code::ok;
}

// The JSON for scripts, or the table for people.
void print(session& s, const invocation& inv, const json& list, const table& t) {
    inv.json ? void(s.out << list.dump() << '\n') : t.print(s.out);
}

}  // namespace

int run_services(session& s, const invocation& inv) {
    return with_instances(s, inv, workers_of(inv.filter), [&](const std::vector<instance>& all) {
        auto grouped = by_service(all);
        table t({"SERVICE", "VERSIONS", "INSTANCES", "REGISTERED", "REGIONS"});
        for (const auto& [name, g] : grouped) {
            t.add({name, joined(listed(g.versions)), std::to_string(g.instances),
                   std::to_string(g.registered), joined(listed(g.regions))});
        }
        print(s, inv, services_json(grouped), t);
    });
}

int run_versions(session& s, const invocation& inv) {
    return with_instances(s, inv, workers_of(inv.filter), [&](const std::vector<instance>& all) {
        auto grouped = by_release(all);
        table t({"SERVICE", "VERSION", "INSTANCES", "REGISTERED"});
        for (const auto& [release, g] : grouped) {
            auto [name, version] = split_release(release);
            t.add({name, version.empty() ? "-" : version, std::to_string(g.instances),
                   std::to_string(g.registered)});
        }
        print(s, inv, versions_json(grouped), t);
    });
}

int run_hosts(session& s, const invocation& inv) {
    return with_instances(s, inv, inv.filter, [&](const std::vector<instance>& all) {
        auto grouped = by_host(all);
        table t({"HOST", "REGIONS", "BROKERS", "WORKERS", "INSTANCES"});
        for (const auto& [host, g] : grouped) {
            t.add({host, joined(listed(g.regions)), std::to_string(g.brokers),
                   std::to_string(g.workers), std::to_string(g.instances)});
        }
        print(s, inv, hosts_json(grouped), t);
    });
}

int run_regions(session& s, const invocation& inv) {
    return with_instances(s, inv, inv.filter, [&](const std::vector<instance>& all) {
        auto grouped = by_region(all);
        table t({"REGION", "HOSTS", "BROKERS", "WORKERS", "INSTANCES"});
        for (const auto& [region, g] : grouped) {
            t.add({region, std::to_string(g.hosts.size()), std::to_string(g.brokers),
                   std::to_string(g.workers), std::to_string(g.instances)});
        }
        print(s, inv, regions_json(grouped), t);
    });
}

int run_instances(session& s, const invocation& inv) {
    return with_instances(s, inv, inv.filter, [&](const std::vector<instance>& all) {
        table t({"ID", "KIND", "SERVICE", "REGION", "HOST", "PID", "STATE", "REQUESTS", "ERRORS",
                 "MANAGED BY"});
        for (const auto& r : all) {
            t.add({r.id, std::string(registry::to_string(r.kind)), release_of(r), r.region, r.host,
                   std::to_string(r.pid), state_of(r), std::to_string(r.stats.requests),
                   std::to_string(r.stats.errors), r.managed_by.empty() ? "-" : r.managed_by});
        }
        print(s, inv, instances_json(all), t);
    });
}

int run_methods(session& s, const invocation& inv) {
    return with_instances(s, inv, workers_of(inv.filter), [&](const std::vector<instance>& all) {
        auto grouped = by_release(all);
        table t({"SERVICE", "METHODS"});
        for (const auto& [release, g] : grouped) {
            t.add({release, joined(listed(g.methods))});
        }
        print(s, inv, methods_json(grouped), t);
    });
}

}  // namespace skynet::sky
