#include "skynet/sky/views.hpp"

#include <algorithm>
#include <tuple>

#include "skynet/sky/records.hpp"

namespace skynet::sky {

namespace {

using nlohmann::json;
using registry::instance;
using registry::instance_kind;

std::vector<std::string> listed(const std::set<std::string>& items) {
    return {items.begin(), items.end()};
}

template <class Key>
groups grouped(const std::vector<instance>& all, Key&& key) {
    groups out;
    for (const auto& r : all) {
        out[key(r)].count(r);
    }
    return out;
}

}  // namespace

void group::count(const instance& r) {
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

groups by_service(const std::vector<instance>& all) {
    return grouped(all, [](const instance& r) { return r.service; });
}

groups by_release(const std::vector<instance>& all) {
    return grouped(all, [](const instance& r) { return release_of(r); });
}

groups by_host(const std::vector<instance>& all) {
    return grouped(all, [](const instance& r) { return r.host; });
}

groups by_region(const std::vector<instance>& all) {
    return grouped(all, [](const instance& r) { return r.region; });
}

filters workers_of(const filters& f) {
    filters out = f;
    if (!out.kind) {
        out.kind = instance_kind::worker;
    }
    return out;
}

void sort_for_listing(std::vector<instance>& all) {
    std::sort(all.begin(), all.end(), [](const instance& a, const instance& b) {
        return std::tie(a.region, a.host, a.kind, a.service, a.version, a.id) <
               std::tie(b.region, b.host, b.kind, b.service, b.version, b.id);
    });
}

std::pair<std::string, std::string> split_release(const std::string& release) {
    auto at = release.find('@');
    return {release.substr(0, at), at == std::string::npos ? "" : release.substr(at + 1)};
}

json services_json(const groups& by_service) {
    json list = json::array();
    for (const auto& [name, g] : by_service) {
        list.push_back({{"service", name},
                        {"versions", listed(g.versions)},
                        {"instances", g.instances},
                        {"registered", g.registered},
                        {"regions", listed(g.regions)}});
    }
    return list;
}

json versions_json(const groups& by_release) {
    json list = json::array();
    for (const auto& [release, g] : by_release) {
        auto [name, version] = split_release(release);
        list.push_back({{"service", name},
                        {"version", version},
                        {"instances", g.instances},
                        {"registered", g.registered}});
    }
    return list;
}

json hosts_json(const groups& by_host) {
    json list = json::array();
    for (const auto& [host, g] : by_host) {
        list.push_back({{"host", host},
                        {"regions", listed(g.regions)},
                        {"brokers", g.brokers},
                        {"workers", g.workers},
                        {"instances", g.instances}});
    }
    return list;
}

json regions_json(const groups& by_region) {
    json list = json::array();
    for (const auto& [region, g] : by_region) {
        list.push_back({{"region", region},
                        {"hosts", listed(g.hosts)},
                        {"brokers", g.brokers},
                        {"workers", g.workers},
                        {"instances", g.instances}});
    }
    return list;
}

json methods_json(const groups& by_release) {
    json list = json::array();
    for (const auto& [release, g] : by_release) {
        list.push_back({{"service", release}, {"methods", listed(g.methods)}});
    }
    return list;
}

json instances_json(const std::vector<instance>& all) {
    json list = json::array();
    for (const auto& r : all) {
        list.push_back(to_json(r));
    }
    return list;
}

}  // namespace skynet::sky
