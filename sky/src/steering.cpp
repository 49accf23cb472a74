// register, unregister, stop, restart, log LEVEL: commands sent to the
// matching instances through the registry's command channel
// (skynet/registry/commands.hpp), with a count of who acted and the names of
// who did not answer within the timeout.

#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/registry/commands.hpp"

namespace skynet::sky {

namespace {

using registry::command;
using registry::command_status;
using std::chrono::milliseconds;

constexpr milliseconds default_timeout{3000};

struct wording {
    const char* future;  // "will be stopped"
    const char* past;    // "stopped"
    bool needs_filter;   // refused without a filter unless --all
    bool workers_only;   // only workers can (un)register
};

wording words_for(command what) {
    switch (what) {
        case command::register_: return {"will be registered", "registered", false, true};
        case command::unregister: return {"will be unregistered", "unregistered", true, true};
        case command::stop: return {"will be stopped", "stopped", true, false};
        case command::restart: return {"will be restarted", "restarted", true, false};
        case command::log_level: return {"will change their log level", "changed", false, false};
    }
    return {"", "", true, false};
}

std::string count_of(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " instance" : " instances");
}

// Prints who acted, who failed and who did not answer; the exit status.
int report(session& s, const std::vector<registry::command_outcome>& outcomes,
           const wording& w, milliseconds timeout) {
    std::size_t acted = 0;
    std::string silent;
    for (const auto& o : outcomes) {
        if (o.status == command_status::acted) {
            ++acted;
        } else if (o.status == command_status::failed) {
            s.out << "failed: " << o.id << ": " << o.detail << '\n';
        } else {
            silent += (silent.empty() ? "" : ", ") + o.id;
        }
    }
    s.out << w.past << " " << acted << " of " << count_of(outcomes.size()) << '\n';
    if (!silent.empty()) {
        s.out << "no answer within " << timeout.count() << " ms: " << silent << '\n';
    }
    s.out.flush();
    return acted == outcomes.size() ? exit_code::ok : exit_code::not_all_acted;
}

filters target_filters(const invocation& inv, const wording& w) {
    filters f = inv.filter;
    if (w.workers_only && !f.kind) {
        f.kind = registry::instance_kind::worker;
    }
    return f;
}

int steer(session& s, const invocation& inv, command what, const std::string& argument) {
    auto w = words_for(what);
    if (w.needs_filter && inv.filter.empty() && !inv.all) {
        throw usage_error(inv.command + " needs a filter (--service, --version, --host, "
                          "--region, --registered, --kind) or --all");
    }
    int code = exit_code::ok;
    auto found = s.find(target_filters(inv, w), code, inv.filter);
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
    std::vector<std::string> ids;
    for (const auto& r : *found) {
        ids.push_back(r.id);
    }
    auto timeout = inv.timeout.value_or(default_timeout);
    auto outcomes = registry::send_command(s.registry(), ids, what, argument, timeout);
    if (!outcomes) {
        return s.fail(outcomes.code() == bus::errc::unavailable ? exit_code::unreachable
                                                                 : exit_code::failed,
                      "cannot send commands through " + s.url() + ": " + outcomes.err().detail);
    }
    return report(s, *outcomes, w, timeout);
}

void ensure_args(const invocation& inv, std::size_t n, const char* usage) {
    if (inv.args.size() != n) {
        throw usage_error("usage: " + std::string(usage));
    }
}

}  // namespace

int run_register(session& s, const invocation& inv) {
    ensure_args(inv, 0, "register [filters]");
    return steer(s, inv, command::register_, {});
}

int run_unregister(session& s, const invocation& inv) {
    ensure_args(inv, 0, "unregister filters|--all");
    return steer(s, inv, command::unregister, {});
}

int run_stop(session& s, const invocation& inv) {
    ensure_args(inv, 0, "stop filters|--all");
    return steer(s, inv, command::stop, {});
}

int run_restart(session& s, const invocation& inv) {
    ensure_args(inv, 0, "restart filters|--all");
    return steer(s, inv, command::restart, {});
}

int run_log(session& s, const invocation& inv) {
    ensure_args(inv, 1, "log LEVEL [filters]");
    const auto& level = inv.args.front();
    if (!runtime::is_log_level(level)) {
        throw usage_error("log level must be one of trace, debug, info, warn, error, critical, "
                          "off (got '" + level + "')");
    }
    return steer(s, inv, command::log_level, level);
}

}  // namespace skynet::sky
