// register, unregister, stop, restart, log LEVEL: commands sent to the
// matching instances through the registry's command channel
// (skynet/registry/commands.hpp), with a count of who acted and the names of
// who did not answer within the timeout.

#include "skynet/sky/steering.hpp"

#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::sky {

namespace {

using registry::command;
using std::chrono::milliseconds;

constexpr milliseconds default_command_timeout{3000};

// Prints who acted, who failed and who did not answer; the exit status.
int report(session& s, const std::vector<registry::command_outcome>& outcomes,
           const action_words& w, milliseconds timeout) {
    auto tally = count_outcomes(outcomes);
    for (const auto* o : tally.failed) {
        s.out << "failed: " << o->id << ": " << o->detail << '\n';
    }
    s.out << w.past << " " << tally.acted << " of " << count_of(tally.total) << '\n';
    if (w.past == std::string_view("restarted") && tally.acted > 0) {
        // Not managed by a daemon (those go through it): a worker told to
        // restart exits, and only a supervisor of its own brings it back.
        s.out << "not managed by skyd: they exit, and come back only if something restarts them "
                 "(sky deploy runs a service under skyd)\n";
    }
    if (!tally.silent.empty()) {
        std::string silent;
        for (const auto& id : tally.silent) {
            silent += (silent.empty() ? "" : ", ") + id;
        }
        s.out << "no answer within " << timeout.count() << " ms: " << silent << '\n';
    }
    s.out.flush();
    return tally.all_acted() ? exit_code::ok : exit_code::not_all_acted;
}

void ensure_args(const invocation& inv, std::size_t n, const char* usage) {
    if (inv.args.size() != n) {
        throw usage_error("usage: " + std::string(usage));
    }
}

}  // namespace

int steer(session& s, const invocation& inv, command what, const std::string& argument) {
    auto w = words_for(what);
    if (w.needs_filter && inv.filter.empty() && !inv.all) {
        throw usage_error(inv.command +
                          " needs a filter (--service, --version, --host, "
                          "--region, --registered, --kind) or --all");
    }
    int code = exit_code::ok;
    auto found = s.find(targets_of(what, inv.filter), code, inv.filter);
    if (!found) {
        return code;
    }
    if (found->empty()) {
        return s.fail(exit_code::no_match, "no instances to act on");
    }
    auto question = count_of(found->size()) + " " + w.future + ".";
    if (s.confirm && !inv.yes) {
        if (!s.confirm(question + " Continue? [y/N] ")) {
            return s.fail(exit_code::failed, "nothing done");
        }
    } else {
        s.out << question << std::endl;
    }
    auto timeout = inv.timeout.value_or(default_command_timeout);
    auto outcomes = send_action(s.registry(), *found, what, argument, timeout);
    if (!outcomes) {
        return s.fail(
            outcomes.code() == bus::errc::unavailable ? exit_code::unreachable : exit_code::failed,
            "cannot send commands through " + s.url() + ": " + outcomes.err().detail);
    }
    return report(s, *outcomes, w, timeout);
}

int run_register(session& s, const invocation& inv) {
    ensure_args(inv, 0, "register [filters]");
    return steer(s, inv, command::register_, {});
}

int run_unregister(session& s, const invocation& inv) {
    ensure_args(inv, 0, "unregister filters|--all");
    return steer(s, inv, command::unregister, {});
}

int run_log(session& s, const invocation& inv) {
    ensure_args(inv, 1, "log LEVEL [filters]");
    const auto& level = inv.args.front();
    if (!runtime::is_log_level(level)) {
        throw usage_error(
            "log level must be one of trace, debug, info, warn, error, critical, "
            "off (got '" +
            level + "')");
    }
    return steer(s, inv, command::log_level, level);
}

}  // namespace skynet::sky
