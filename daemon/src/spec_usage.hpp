#pragma once
// The "pressure" and "cgroup" objects of a process spec's JSON
// (process_spec.hpp): written only when set, read with a detail naming the
// field that is wrong.

#include <nlohmann/json.hpp>
#include <string>

#include "skynet/daemon/pressure.hpp"
#include "skynet/runtime/cgroup.hpp"

namespace skynet::daemon::spec_usage {

void write_pressure(const pressure_limits& limits, nlohmann::json& spec);
void write_cgroup(const runtime::cgroup_limits& limits, nlohmann::json& spec);
bool read_pressure(const nlohmann::json& spec, pressure_limits& out, std::string& why);
bool read_cgroup(const nlohmann::json& spec, runtime::cgroup_limits& out, std::string& why);

}  // namespace skynet::daemon::spec_usage
