#include "skynet/sky/topology.hpp"

#include "skynet/sky/records.hpp"

namespace skynet::sky {

using nlohmann::json;

topology build_topology(std::vector<registry::instance> all) {
    topology t;
    for (auto& r : all) {
        auto release = r.kind == registry::instance_kind::worker ? release_of(r) : std::string();
        t[r.region][r.host][release].push_back(std::move(r));
    }
    return t;
}

json topology_json(const topology& t) {
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

}  // namespace skynet::sky
