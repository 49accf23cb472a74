#pragma once
// The JSON of host daemon (skyd) commands, as `sky` sends and reads them over
// the registry's command channel (skynet/registry/commands.hpp: named
// commands, "<id> ok <json>" answers). Shapes, as docs/design.md lists them:
//   deploy    {"argv":[..],"env":["K=V"],"cwd":"","restart":"always|on-failure|never",
//              "count":N,"service":""}                       -> {"ids":["svc-..."]}
//   processes {}                                             -> {"host":"h","processes":[row]}
//   start, stop, restart, reset, undeploy {"id":"svc-..."}   -> {"id":..,"state":..}
//   logs      {"id":..,"tail":N,"grep":"RE","cursor":""}      -> {"lines":[..],"cursor":..,
//                                                                 "dropped":N}
// Answers come from the network: the parsers never throw, a malformed one
// is a bad_request naming what is wrong. The deploy request and the process
// rows are the daemon's own types (skynet/daemon/process_spec.hpp,
// process_row.hpp), so both sides read and write one definition.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/daemon/process_row.hpp"
#include "skynet/daemon/process_spec.hpp"

namespace skynet::sky {

// The deploy argument: `spec` as process_spec's JSON (daemon::to_json)
// carries it, but only the fields sky sets (argv, env, cwd, restart, count
// and service unless empty), so that skyd applies its own defaults to the rest.
std::string deploy_argument(const daemon::process_spec& spec);

struct processes_answer {
    std::string host = {};
    std::vector<daemon::process_row> processes = {};
};

struct state_answer {
    std::string id = {};
    std::string state = {};
};

struct logs_request {
    std::string id = {};
    int tail = 0;             // 0: the daemon's default
    std::string grep = {};    // a std::regex (ECMAScript); empty: every line
    std::string cursor = {};  // empty: the tail; else only lines after it

    nlohmann::json to_json() const;
};

struct logs_answer {
    std::vector<std::string> lines = {};
    std::string cursor = {};
    std::uint64_t dropped = 0;
};

// {"id":"..."}: the argument of start, stop, restart, reset and undeploy.
std::string id_argument(std::string_view id);

bus::result<std::vector<std::string>> parse_deploy_answer(std::string_view text) noexcept;
bus::result<processes_answer> parse_processes_answer(std::string_view text) noexcept;
bus::result<state_answer> parse_state_answer(std::string_view text) noexcept;
bus::result<logs_answer> parse_logs_answer(std::string_view text) noexcept;

}  // namespace skynet::sky
