#pragma once
// What skyd runs for one deploy: the program, its environment and limits,
// and what to do when it ends. The `deploy` command's JSON and each entry
// of a deploy file or of the state file carry one.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/daemon/pressure.hpp"
#include "skynet/runtime/cgroup.hpp"

namespace skynet::daemon {

// When an ended process is started again.
enum class restart_policy { always, on_failure, never };

// "always", "on-failure", "never": the JSON spelling.
std::string_view to_string(restart_policy policy) noexcept;
std::optional<restart_policy> parse_restart_policy(std::string_view text) noexcept;

// Resource limits set in the child (soft and hard alike); unset: inherited.
struct resource_limits {
    std::optional<std::uint64_t> nofile;         // RLIMIT_NOFILE
    std::optional<std::uint64_t> core;           // RLIMIT_CORE, bytes
    std::optional<std::uint64_t> address_space;  // RLIMIT_AS, bytes

    bool operator==(const resource_limits&) const = default;
};

struct process_spec {
    std::vector<std::string> argv;  // argv[0]: a path or a name in PATH
    std::vector<std::string> env;   // "NAME=value" over skyd's environment
    std::string cwd;                // empty: skyd's
    restart_policy restart = restart_policy::always;
    int count = 1;        // how many copies a deploy starts
    std::string service;  // for display; empty: the basename of argv[0]
    resource_limits limits;
    // Out of rotation (or restarted) under pressure, checked by skyd with the
    // host's figures; none by default.
    pressure_limits pressure;
    // cgroup v2 limits, set where the machine delegates a cgroup to skyd
    // (one warning otherwise, and the process runs without them).
    runtime::cgroup_limits cgroup;
    // A start is good once the process is registered, or still up after
    // this long; it ends in failure if it exits before.
    std::chrono::milliseconds start_timeout{10000};
    // Between SIGTERM and SIGKILL of its process group.
    std::chrono::milliseconds stop_timeout{10000};

    // `service`, or the basename of argv[0] when that is empty.
    std::string display_name() const;
    bool operator==(const process_spec&) const = default;
};

// JSON fields: argv, env, cwd, restart, count, service, limits {nofile,
// core, address_space}, start_timeout_ms, stop_timeout_ms, pressure
// {cpu_percent, rss_bytes, load_per_cpu, restart_rss_bytes, over_for_ms,
// under_for_ms}, cgroup {memory_max, cpus, pids_max}; pressure and cgroup
// only when set.
nlohmann::json to_json(const process_spec& spec);
// Absent fields take their defaults; argv must be a non-empty array of
// strings. An error's detail names the field that is wrong.
bus::result<process_spec> process_spec_from_json(const nlohmann::json& json);

}  // namespace skynet::daemon
