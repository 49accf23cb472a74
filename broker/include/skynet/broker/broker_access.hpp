#pragma once
// What a broker lets each peer do (docs/security.md): the access rules and
// the names of the keys allowed now. The broker reads the peer's key name
// from every message (its User-Id, set by the ZAP handler that accepted the
// peer's CURVE key) and holds one immutable broker_access at a time;
// broker::set_access() swaps in another (SIGHUP).

#include <memory>
#include <string>
#include <unordered_set>

#include "skynet/bus/string_map.hpp"
#include "skynet/security/access_rules.hpp"

namespace skynet {

struct broker_access {
    // Which keys may offer (READY) and call which services; null: every
    // allowed key may offer and call every service.
    std::shared_ptr<const security::access_rules> rules;
    // With check_keys, a peer whose key name is not in `keys` (a key removed
    // since it connected) is refused everything, mmi.* included, on its next
    // message. Without it, any peer with a key name passes this check.
    bool check_keys = false;
    std::unordered_set<std::string, bus::string_hash, std::equal_to<>> keys;
};

}  // namespace skynet
