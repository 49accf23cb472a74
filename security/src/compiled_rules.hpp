#pragma once
// The access rules as checks run them: per key named exactly, the service
// patterns it may offer and call, found by hash; then the keys named by a
// glob, few in a reviewed file, tried in order.

#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/service_name.hpp"
#include "skynet/bus/string_map.hpp"
#include "skynet/security/access_rules.hpp"

namespace skynet::security {

namespace detail {

// `name` or `name@version`, each part exact or a glob.
struct service_pattern {
    std::string name;
    std::string version;  // empty: any version, or none
    bool name_glob = false;
    bool version_glob = false;

    bool matches(const bus::service_name_parts& service) const noexcept;
};

struct grants {
    std::vector<service_pattern> offer;
    std::vector<service_pattern> call;
};

bool any_matches(const std::vector<service_pattern>& patterns,
                 const bus::service_name_parts& service) noexcept;

}  // namespace detail

struct access_rules::compiled {
    bus::string_map<detail::grants> by_key;
    std::vector<std::pair<std::string, detail::grants>> by_key_glob;
    std::size_t lines = 0;

    // The grants of the line's key, made on first use.
    detail::grants& grants_for(const std::string& key);
};

// Adds the rules of `text` to `into`. Throws access_rules_error.
void parse_rules(std::string_view text, access_rules::compiled& into);

}  // namespace skynet::security
