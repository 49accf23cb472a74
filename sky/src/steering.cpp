#include "skynet/sky/steering.hpp"

namespace skynet::sky {

using registry::command;
using registry::command_status;

action_words words_for(command what) noexcept {
    switch (what) {
        case command::register_:
            return {"will be registered", "registered", false, true};
        case command::unregister:
            return {"will be unregistered", "unregistered", true, true};
        case command::stop:
            return {"will be stopped", "stopped", true, false};
        case command::restart:
            return {"will be restarted", "restarted", true, false};
        case command::log_level:
            return {"will change their log level", "changed", false, false};
    }
    return {"", "", true, false};
}

filters targets_of(command what, const filters& f) {
    filters out = f;
    if (words_for(what).workers_only && !out.kind) {
        out.kind = registry::instance_kind::worker;
    }
    return out;
}

bus::result<std::vector<registry::command_outcome>> send_action(
    const registry::options& registry, const std::vector<registry::instance>& targets, command what,
    std::string_view argument, std::chrono::milliseconds timeout) {
    std::vector<std::string> ids;
    ids.reserve(targets.size());
    for (const auto& r : targets) {
        ids.push_back(r.id);
    }
    return registry::send_command(registry, ids, what, argument, timeout);
}

action_tally count_outcomes(const std::vector<registry::command_outcome>& outcomes) {
    action_tally t;
    t.total = outcomes.size();
    for (const auto& o : outcomes) {
        if (o.status == command_status::acted) {
            ++t.acted;
        } else if (o.status == command_status::failed) {
            t.failed.push_back(&o);
        } else {
            t.silent.push_back(o.id);
        }
    }
    return t;
}

std::string count_of(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " instance" : " instances");
}

}  // namespace skynet::sky
