#pragma once
// The cluster as a tree: region -> host -> release (service@version) ->
// instances. Brokers and daemons sit under their host with the release "".

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "skynet/registry/instance.hpp"

namespace skynet::sky {

// region -> host -> release -> instances, every level sorted by name.
using topology =
    std::map<std::string,
             std::map<std::string, std::map<std::string, std::vector<registry::instance>>>>;

topology build_topology(std::vector<registry::instance> all);

// [{"region", "hosts": [{"host", "brokers": [records], "services":
// [{"service": release, "instances": [records]}]}]}], records as to_json()
// gives them: what `sky topology --json` prints.
nlohmann::json topology_json(const topology& t);

}  // namespace skynet::sky
