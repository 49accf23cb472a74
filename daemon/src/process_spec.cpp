#include "skynet/daemon/process_spec.hpp"

#include <filesystem>
#include <utility>

#include "spec_usage.hpp"

namespace skynet::daemon {

namespace {

using json = nlohmann::json;

bus::error bad(std::string detail) {
    return bus::error{bus::errc::bad_request, std::move(detail)};
}

// A JSON array of strings at `key`, if present; false (and `detail`) if not one.
bool read_strings(const json& in, const char* key, std::vector<std::string>& out,
                  std::string& detail) {
    if (!in.contains(key)) {
        return true;
    }
    const auto& value = in.at(key);
    if (!value.is_array()) {
        detail = std::string(key) + ": expected an array of strings";
        return false;
    }
    for (const auto& item : value) {
        if (!item.is_string()) {
            detail = std::string(key) + ": expected an array of strings";
            return false;
        }
        out.push_back(item.get<std::string>());
    }
    return true;
}

bool read_string(const json& in, const char* key, std::string& out, std::string& detail) {
    if (!in.contains(key)) {
        return true;
    }
    if (!in.at(key).is_string()) {
        detail = std::string(key) + ": expected a string";
        return false;
    }
    out = in.at(key).get<std::string>();
    return true;
}

bool read_count(const json& in, const char* key, std::uint64_t& out, std::string& detail) {
    if (!in.contains(key)) {
        return true;
    }
    // A whole number >= 0, whether the JSON library holds it signed or not.
    const auto& value = in.at(key);
    if (!value.is_number_integer() ||
        (!value.is_number_unsigned() && value.get<std::int64_t>() < 0)) {
        detail = std::string(key) + ": expected a whole number >= 0";
        return false;
    }
    out = in.at(key).get<std::uint64_t>();
    return true;
}

bool read_limit(const json& in, const char* key, std::optional<std::uint64_t>& out,
                std::string& detail) {
    std::uint64_t value = 0;
    if (!in.contains(key)) {
        return true;
    }
    if (!read_count(in, key, value, detail)) {
        detail = "limits." + detail;
        return false;
    }
    out = value;
    return true;
}

bool read_limits(const json& in, resource_limits& out, std::string& detail) {
    if (!in.contains("limits")) {
        return true;
    }
    const auto& limits = in.at("limits");
    if (!limits.is_object()) {
        detail = "limits: expected an object";
        return false;
    }
    return read_limit(limits, "nofile", out.nofile, detail) &&
           read_limit(limits, "core", out.core, detail) &&
           read_limit(limits, "address_space", out.address_space, detail);
}

bool read_policy(const json& in, restart_policy& out, std::string& detail) {
    std::string text;
    if (!read_string(in, "restart", text, detail)) {
        return false;
    }
    if (text.empty()) {
        return true;
    }
    auto policy = parse_restart_policy(text);
    if (!policy) {
        detail = "restart: expected always, on-failure or never, not \"" + text + "\"";
        return false;
    }
    out = *policy;
    return true;
}

bool read_times(const json& in, process_spec& spec, std::string& detail) {
    std::uint64_t start = static_cast<std::uint64_t>(spec.start_timeout.count());
    std::uint64_t stop = static_cast<std::uint64_t>(spec.stop_timeout.count());
    std::uint64_t count = static_cast<std::uint64_t>(spec.count);
    if (!read_count(in, "start_timeout_ms", start, detail) ||
        !read_count(in, "stop_timeout_ms", stop, detail) ||
        !read_count(in, "count", count, detail)) {
        return false;
    }
    if (count < 1 || count > 1000) {
        detail = "count: expected 1 to 1000";
        return false;
    }
    spec.start_timeout = std::chrono::milliseconds(start);
    spec.stop_timeout = std::chrono::milliseconds(stop);
    spec.count = static_cast<int>(count);
    return true;
}

}  // namespace

std::string_view to_string(restart_policy policy) noexcept {
    switch (policy) {
        case restart_policy::always:
            return "always";
        case restart_policy::on_failure:
            return "on-failure";
        case restart_policy::never:
            return "never";
    }
    return "always";
}

std::optional<restart_policy> parse_restart_policy(std::string_view text) noexcept {
    for (auto policy :
         {restart_policy::always, restart_policy::on_failure, restart_policy::never}) {
        if (text == to_string(policy)) {
            return policy;
        }
    }
    return std::nullopt;
}

std::string process_spec::display_name() const {
    if (!service.empty() || argv.empty()) {
        return service;
    }
    return std::filesystem::path(argv.front()).filename().string();
}

json to_json(const process_spec& spec) {
    json out{{"argv", spec.argv},
             {"env", spec.env},
             {"cwd", spec.cwd},
             {"restart", std::string(to_string(spec.restart))},
             {"count", spec.count},
             {"service", spec.service},
             {"start_timeout_ms", spec.start_timeout.count()},
             {"stop_timeout_ms", spec.stop_timeout.count()}};
    json limits = json::object();
    if (spec.limits.nofile) {
        limits["nofile"] = *spec.limits.nofile;
    }
    if (spec.limits.core) {
        limits["core"] = *spec.limits.core;
    }
    if (spec.limits.address_space) {
        limits["address_space"] = *spec.limits.address_space;
    }
    out["limits"] = limits;
    spec_usage::write_pressure(spec.pressure, out);
    spec_usage::write_cgroup(spec.cgroup, out);
    return out;
}

bus::result<process_spec> process_spec_from_json(const json& in) {
    if (!in.is_object()) {
        return bad("expected a JSON object");
    }
    process_spec spec;
    std::string detail;
    if (!read_strings(in, "argv", spec.argv, detail) ||
        !read_strings(in, "env", spec.env, detail) || !read_string(in, "cwd", spec.cwd, detail) ||
        !read_string(in, "service", spec.service, detail) ||
        !read_policy(in, spec.restart, detail) || !read_limits(in, spec.limits, detail) ||
        !read_times(in, spec, detail) || !spec_usage::read_pressure(in, spec.pressure, detail) ||
        !spec_usage::read_cgroup(in, spec.cgroup, detail)) {
        return bad(detail);
    }
    if (spec.argv.empty() || spec.argv.front().empty()) {
        return bad("argv: expected the program and its arguments");
    }
    for (const auto& entry : spec.env) {
        if (entry.find('=') == std::string::npos || entry.front() == '=') {
            return bad("env: expected NAME=value, not \"" + entry + "\"");
        }
    }
    return spec;
}

}  // namespace skynet::daemon
