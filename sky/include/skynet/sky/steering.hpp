#pragma once
// Steering instances (register, unregister, stop, restart, log LEVEL): which
// instances an action may target, how it is worded, sending it through the
// registry's command channel and counting the acknowledgements
// (skynet/registry/commands.hpp has the protocol).

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/commands.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/sky/filters.hpp"

namespace skynet::sky {

struct action_words {
    const char* future;  // "will be stopped"
    const char* past;    // "stopped"
    bool needs_filter;   // refused without a filter unless the user says all
    bool workers_only;   // only workers can (un)register
};

action_words words_for(registry::command what) noexcept;

// The filters an action acts on: workers only for (un)register unless `f`
// names a kind.
filters targets_of(registry::command what, const filters& f);

// Sends `what` (`argument`: the level for log_level) to every instance in
// `targets` and waits up to `timeout` for their acknowledgements: one
// outcome per instance, in order. Fails only when Redis cannot be reached
// (unavailable) or fails. Blocks the calling thread.
bus::result<std::vector<registry::command_outcome>> send_action(
    const registry::options& registry, const std::vector<registry::instance>& targets,
    registry::command what, std::string_view argument, std::chrono::milliseconds timeout);

// Who acted, who refused and who stayed silent.
struct action_tally {
    std::size_t acted = 0;
    std::vector<const registry::command_outcome*> failed;  // into the outcomes counted
    std::vector<std::string> silent;                       // no answer, or not listening
    std::size_t total = 0;

    bool all_acted() const noexcept { return acted == total; }
};

action_tally count_outcomes(const std::vector<registry::command_outcome>& outcomes);

// "1 instance", "3 instances".
std::string count_of(std::size_t n);

}  // namespace skynet::sky
