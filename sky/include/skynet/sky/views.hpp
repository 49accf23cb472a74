#pragma once
// The registry as sky shows it: instances grouped by service, release
// (service@version), host or region, and each view as the JSON that
// `sky <view> --json` prints and the dashboard's API serves.

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "skynet/registry/instance.hpp"
#include "skynet/sky/filters.hpp"

namespace skynet::sky {

// What a set of instances sharing one key holds.
struct group {
    std::set<std::string> versions, regions, hosts, methods;
    int instances = 0, registered = 0, brokers = 0, workers = 0;

    void count(const registry::instance& r);
};

// Key -> group, sorted by key.
using groups = std::map<std::string, group>;

groups by_service(const std::vector<registry::instance>& all);
groups by_release(const std::vector<registry::instance>& all);  // key: release_of()
groups by_host(const std::vector<registry::instance>& all);
groups by_region(const std::vector<registry::instance>& all);

// `f`, asking for workers unless it names a kind: only workers have
// services, versions and methods.
filters workers_of(const filters& f);

// Sorts by region, host, kind, service, version, id: the order of listings.
void sort_for_listing(std::vector<registry::instance>& all);

// [{"service", "versions", "instances", "registered", "regions"}] from by_service().
nlohmann::json services_json(const groups& by_service);
// [{"service", "version", "instances", "registered"}] from by_release().
nlohmann::json versions_json(const groups& by_release);
// [{"host", "regions", "brokers", "workers", "instances"}] from by_host().
nlohmann::json hosts_json(const groups& by_host);
// [{"region", "hosts", "brokers", "workers", "instances"}] from by_region().
nlohmann::json regions_json(const groups& by_region);
// [{"service": release, "methods"}] from by_release().
nlohmann::json methods_json(const groups& by_release);
// Every record as to_json() gives it, in the order given.
nlohmann::json instances_json(const std::vector<registry::instance>& all);

// "fibonacci@1.0" -> {"fibonacci", "1.0"}; no '@': {release, ""}.
std::pair<std::string, std::string> split_release(const std::string& release);

}  // namespace skynet::sky
