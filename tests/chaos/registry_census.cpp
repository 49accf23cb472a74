#include "registry_census.hpp"

#include <iostream>

#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::testing::chaos {

std::vector<registry::instance> registry_records(const std::string& url,
                                                 const registry::query& filter) {
    auto settings = registry::options_from_url(url);
    auto connection = settings ? registry::connection::open(*settings)
                               : bus::result<registry::connection>(settings.err());
    auto found = connection ? connection->find(filter)
                            : bus::result<std::vector<registry::instance>>(connection.err());
    if (!found) {
        std::cerr << "registry: " << found.err().detail << "\n";
        return {};
    }
    return std::move(found).value();
}

std::string census_difference(const std::set<process_key>& live,
                              const std::set<process_key>& registered) {
    auto text =
        "live " + std::to_string(live.size()) + ", registered " + std::to_string(registered.size());
    auto name = [](const process_key& p) {
        return std::string(to_string(p.first)) + " pid " + std::to_string(p.second);
    };
    for (const auto& p : registered) {
        if (!live.contains(p)) {
            text += ", stale " + name(p);
        }
    }
    for (const auto& p : live) {
        if (!registered.contains(p)) {
            text += ", missing " + name(p);
        }
    }
    return text;
}

}  // namespace skynet::testing::chaos
