#pragma once
// skynet-broker's --access FILE (docs/security.md): the access control it
// starts with, and what SIGHUP does to it. Part of the executable only.

#include <memory>
#include <string>
#include <vector>

#include "skynet/broker/broker.hpp"

namespace skynet::broker_main {

// The access control the rules file at `path` gives, with the key names
// allowed now (`check_keys`: a peer whose key is not among them is refused).
// Throws security::access_rules_error naming the file and line.
std::shared_ptr<const broker_access> load_access(const std::string& path, bool check_keys,
                                                 const std::vector<std::string>& keys);

}  // namespace skynet::broker_main
