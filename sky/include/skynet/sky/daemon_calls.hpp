#pragma once
// Talking to host daemons (skyd) through the registry's command channel:
// one named command per daemon, its answer parsed, and a clear sentence for
// a daemon that did not answer (daemon_protocol.hpp has the JSON).
// Every call blocks its thread for at most about `timeout`.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/commands.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/sky/daemon_protocol.hpp"
#include "skynet/sky/daemon_routing.hpp"

namespace skynet::sky {

// What one daemon answered: its text when it acted, else `problem`, a
// sentence naming it ("daemon d-1 on h1 did not answer within 3000 ms").
struct daemon_reply {
    std::string daemon_id;
    std::string host;
    bool ok = false;
    std::string text;     // the answer (JSON) when ok
    std::string problem;  // why not, when not ok
};

// Sends `name` with `argument` to each daemon (kind daemon records) at once
// and waits up to `timeout`: one reply per daemon, in order. Fails only when
// Redis cannot be reached or fails.
bus::result<std::vector<daemon_reply>> ask_daemons(const registry::options& registry,
                                                   const std::vector<registry::instance>& daemons,
                                                   std::string_view name, std::string_view argument,
                                                   std::chrono::milliseconds timeout);

// The sentence for an outcome that is not `acted`.
std::string problem_of(const registry::command_outcome& outcome, std::string_view host,
                       std::chrono::milliseconds timeout);

// Every daemon's processes; daemons that fail or answer garbage are in
// `problems` ("<host>/<daemon id>: <why>").
struct listing_result {
    std::vector<daemon_listing> listings;
    std::vector<std::string> problems;
};

bus::result<listing_result> list_processes(const registry::options& registry,
                                           const std::vector<registry::instance>& daemons,
                                           std::chrono::milliseconds timeout);

}  // namespace skynet::sky
