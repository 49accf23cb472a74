#pragma once
// Where `sky start|stop|restart|reset|undeploy` goes (issue 15): an instance
// a host daemon manages (its record's managed_by) is steered through that
// daemon, by a named command with {"id":...}, so that the daemon stops it for
// good or restarts it; an unmanaged instance keeps the plain command of
// before (stop, restart) or is refused (start, reset, undeploy: only a daemon
// can). A managed process that is not in the registry (stopped, backing off,
// crash-looping) is found in the daemons' `processes` lists.

#include <string>
#include <string_view>
#include <vector>

#include "skynet/registry/instance.hpp"
#include "skynet/sky/daemon_protocol.hpp"
#include "skynet/sky/filters.hpp"

namespace skynet::sky {

enum class daemon_action { start, stop, restart, reset, undeploy };

// The command's name on the wire: "start", "stop", ...
std::string_view to_string(daemon_action action) noexcept;

// A daemon and what it listed.
struct daemon_listing {
    registry::instance daemon;  // kind daemon: its id, host, region
    processes_answer answer;
};

// A managed process and the daemon to ask.
struct daemon_route {
    std::string daemon_id;
    std::string daemon_host;
    std::string process_id;
};

struct route_plan {
    std::vector<daemon_route> managed;
    std::vector<registry::instance> plain;  // unmanaged: today's command
    std::vector<std::string> refused;       // "<id>: not managed by a host daemon"
};

// Does this managed process match the filters? Rows carry no version and are
// not registered unless live, so --version and --registered=yes match only
// live instances; --kind matches only worker.
bool row_matches(const filters& f, const daemon::process_row& row,
                 const registry::instance& daemon);

// The plan for `action` over the live instances the filters matched (`live`,
// workers and brokers as the registry gave them; daemons are skipped) and
// the daemons' listings. `ids`, if not empty, narrows every source to those
// ids (the user named them). Each process appears once, in the order found.
route_plan plan_routes(daemon_action action, const filters& f,
                       const std::vector<registry::instance>& live,
                       const std::vector<daemon_listing>& listings,
                       const std::vector<std::string>& ids = {});

}  // namespace skynet::sky
