#pragma once
// What sky's daemon commands (deploy, processes, start, stop, restart, reset,
// undeploy, logs) share: finding the host daemons the filters select, and
// the timeout of one command to them.

#include <chrono>
#include <optional>
#include <vector>

#include "invocation.hpp"
#include "session.hpp"
#include "skynet/sky/daemon_calls.hpp"

namespace skynet::sky {

// A daemon reads a log's tail or starts processes before it answers.
inline constexpr std::chrono::milliseconds daemon_timeout{5000};

inline std::chrono::milliseconds timeout_of(const invocation& inv) {
    return inv.timeout.value_or(daemon_timeout);
}

// The filter for the daemons on the hosts and regions `inv` names (its
// other filters are the processes' own, applied to the rows).
filters daemons_filter(const invocation& inv);

// The daemons on the hosts and regions the filters name (the others are
// the processes' own, applied to the rows). Prints why on failure, and
// "no host daemons match" when there is none (code no_match).
std::optional<std::vector<registry::instance>> find_daemons(session& s, const invocation& inv,
                                                            int& code);

// Every matching daemon's processes; prints the daemons that did not
// answer, each named, to s.err (`silent` set when one did not).
std::optional<listing_result> find_processes(session& s, const invocation& inv, int& code,
                                             bool& silent);

}  // namespace skynet::sky
