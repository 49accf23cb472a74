#pragma once
// Every sky command: what it is called, its arguments, one line on what it
// does, and the function that runs it (returning the exit status).

#include <string_view>
#include <vector>

#include "invocation.hpp"
#include "session.hpp"
#include "skynet/registry/commands.hpp"

namespace skynet::sky {

using command_fn = int (*)(session&, const invocation&);

struct command_spec {
    std::string_view name;
    std::string_view arguments;  // "SERVICE METHOD [JSON]"
    std::string_view summary;
    command_fn run;
};

// In the order `help` lists them.
const std::vector<command_spec>& command_table();
// The command with this name, or nullptr.
const command_spec* find_command(std::string_view name);

// Runs inv.command; an unknown one is a usage error. Prints errors itself.
int run_command(session& s, const invocation& inv);
// The help text: usage, commands, options, exit statuses.
void print_help(std::ostream& out, bool in_shell);

// listing.cpp
int run_services(session& s, const invocation& inv);
int run_versions(session& s, const invocation& inv);
int run_hosts(session& s, const invocation& inv);
int run_regions(session& s, const invocation& inv);
int run_instances(session& s, const invocation& inv);
int run_methods(session& s, const invocation& inv);
// topology.cpp
int run_topology(session& s, const invocation& inv);
// steering.cpp
int run_register(session& s, const invocation& inv);
int run_unregister(session& s, const invocation& inv);
int run_log(session& s, const invocation& inv);
// The plain command to every matching instance, as before host daemons:
// counted, with a confirmation for those that need a filter.
int steer(session& s, const invocation& inv, registry::command what, const std::string& argument);
// daemon_steering.cpp: routed to the owning daemon for managed instances.
int run_start(session& s, const invocation& inv);
int run_stop(session& s, const invocation& inv);
int run_restart(session& s, const invocation& inv);
int run_reset(session& s, const invocation& inv);
int run_undeploy(session& s, const invocation& inv);
// deploy.cpp
int run_deploy(session& s, const invocation& inv);
int run_processes(session& s, const invocation& inv);
// logs.cpp
int run_logs(session& s, const invocation& inv);
// call.cpp
int run_call(session& s, const invocation& inv);
// sky keygen NAME [--dir DIR]: writes a CURVE key pair (keygen.cpp).
int run_keygen(session& s, const invocation& inv);
// watch.cpp
int run_watch(session& s, const invocation& inv);
// dashboard.cpp
int run_dashboard(session& s, const invocation& inv);
// completion.cpp: `sky complete WHAT [PREFIX]`, for the bash script.
int run_complete(session& s, const invocation& inv);

}  // namespace skynet::sky
