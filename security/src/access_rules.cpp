#include "skynet/security/access_rules.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "compiled_rules.hpp"
#include "glob.hpp"
#include "skynet/bus/service_name.hpp"

namespace skynet::security {

namespace detail {

bool service_pattern::matches(const bus::service_name_parts& parts) const noexcept {
    const bool name_ok = name_glob ? glob_match(name, parts.name) : name == parts.name;
    if (!name_ok) {
        return false;
    }
    if (version.empty()) {
        return true;  // a bare name in a rule: every version, and none
    }
    if (parts.version.empty()) {
        return false;  // "name" could reach any version: not allowed by "name@2.*"
    }
    return version_glob ? glob_match(version, parts.version) : version == parts.version;
}

bool any_matches(const std::vector<service_pattern>& patterns,
                 const bus::service_name_parts& service) noexcept {
    for (const auto& p : patterns) {
        if (p.matches(service)) {
            return true;
        }
    }
    return false;
}

}  // namespace detail

namespace {

// The grants that apply to `key`, first the exact entry, then every glob:
// `check` says whether one of them allows.
template <class Check>
bool any_grant(const access_rules::compiled& rules, std::string_view key, Check check) noexcept {
    if (key.empty()) {
        return false;  // a peer without a key name is nobody the rules know
    }
    if (auto it = rules.by_key.find(key); it != rules.by_key.end() && check(it->second)) {
        return true;
    }
    for (const auto& [pattern, grants] : rules.by_key_glob) {
        if (detail::glob_match(pattern, key) && check(grants)) {
            return true;
        }
    }
    return false;
}

}  // namespace

access_rules_error::access_rules_error(std::size_t line, const std::string& what)
    : std::runtime_error(what), line_(line) {}

detail::grants& access_rules::compiled::grants_for(const std::string& key) {
    if (!detail::has_wildcard(key)) {
        return by_key[key];
    }
    for (auto& [pattern, grants] : by_key_glob) {
        if (pattern == key) {
            return grants;
        }
    }
    return by_key_glob.emplace_back(key, detail::grants{}).second;
}

access_rules::access_rules() : rules_(std::make_unique<compiled>()) {}
access_rules::~access_rules() = default;
access_rules::access_rules(access_rules&&) noexcept = default;
access_rules& access_rules::operator=(access_rules&&) noexcept = default;

access_rules access_rules::parse(std::string_view text) {
    access_rules rules;
    parse_rules(text, *rules.rules_);
    return rules;
}

access_rules access_rules::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw access_rules_error(0, path.string() + ": cannot read: " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return parse(text.str());
    } catch (const access_rules_error& e) {
        throw access_rules_error(e.line(), path.string() + " " + e.what());
    }
}

bool access_rules::may_offer(std::string_view key, std::string_view name) const noexcept {
    const auto service = bus::split_service_name(name);
    return any_grant(*rules_, key, [&](const detail::grants& g) {
        return detail::any_matches(g.offer, service);
    });
}

bool access_rules::may_call(std::string_view key, std::string_view name) const noexcept {
    const auto service = bus::split_service_name(name);
    return any_grant(*rules_, key,
                     [&](const detail::grants& g) { return detail::any_matches(g.call, service); });
}

std::size_t access_rules::size() const noexcept {
    return rules_->lines;
}

}  // namespace skynet::security
