// start, stop, restart, reset, undeploy: routed per instance (skynet/sky/
// daemon_routing.hpp). A managed instance is steered through the daemon that
// owns it, so that `stop` is for good and `restart` is the daemon's; an
// unmanaged one gets the plain command of before. restart --rolling takes
// them one at a time, each once it is registered again.

#include <ostream>
#include <thread>

#include "commands.hpp"
#include "daemon_access.hpp"
#include "exit_codes.hpp"
#include "skynet/sky/steering.hpp"

namespace skynet::sky {

namespace {

using registry::command_status;
using std::chrono::milliseconds;

// How long restart --rolling waits for each instance to be back.
constexpr milliseconds rolling_wait{60000};
constexpr milliseconds rolling_poll{200};

struct targets {
    route_plan plan;
    std::vector<registry::instance> live;
};

// The live instances and managed processes the filters or ids select;
// nothing after printing why.
std::optional<targets> find_targets(session& s, const invocation& inv, daemon_action action,
                                    int& code) {
    filters live_filter = inv.filter;
    auto live = s.find(live_filter, code, filters{});
    if (!live) {
        return std::nullopt;
    }
    auto daemons = s.find(daemons_filter(inv), code, filters{});
    if (!daemons) {
        return std::nullopt;
    }
    listing_result listed;
    if (!daemons->empty()) {
        auto asked = list_processes(s.registry(), *daemons, timeout_of(inv));
        if (!asked) {
            code = s.fail(exit_code::unreachable, "cannot ask the host daemons through " + s.url() +
                                                      ": " + asked.err().detail);
            return std::nullopt;
        }
        listed = std::move(asked).value();
        for (const auto& problem : listed.problems) {
            s.fail(exit_code::not_all_acted, problem);
        }
    }
    return targets{plan_routes(action, inv.filter, *live, listed.listings, inv.args), *live};
}

// Asks the owning daemon; prints the outcome. True if it acted.
bool send_routed(session& s, const invocation& inv, daemon_action action, const daemon_route& r) {
    std::vector<std::string> ids{r.daemon_id};
    auto outcomes = registry::send_command(s.registry(), ids, to_string(action),
                                           id_argument(r.process_id), timeout_of(inv));
    if (!outcomes) {
        s.fail(exit_code::failed, r.process_id + ": " + outcomes.err().detail);
        return false;
    }
    const auto& o = outcomes->front();
    if (o.status != command_status::acted) {
        s.out << "failed: " << r.process_id << ": " << problem_of(o, r.daemon_host, timeout_of(inv))
              << '\n';
        return false;
    }
    auto state = parse_state_answer(o.detail);
    s.out << r.daemon_host << "/" << r.process_id << ": "
          << (state ? state->state : "done (" + state.err().detail + ")") << '\n';
    return true;
}

// The plain command for unmanaged instances; the number that acted.
std::size_t send_plain(session& s, const invocation& inv, daemon_action action,
                       const std::vector<registry::instance>& plain) {
    if (plain.empty()) {
        return 0;
    }
    auto what =
        action == daemon_action::stop ? registry::command::stop : registry::command::restart;
    auto outcomes = send_action(s.registry(), plain, what, {}, timeout_of(inv));
    if (!outcomes) {
        s.fail(exit_code::failed,
               "cannot send commands through " + s.url() + ": " + outcomes.err().detail);
        return 0;
    }
    auto tally = count_outcomes(*outcomes);
    for (const auto* o : tally.failed) {
        s.out << "failed: " << o->id << ": " << o->detail << '\n';
    }
    for (const auto& id : tally.silent) {
        s.out << "failed: " << id << ": no answer within " << timeout_of(inv).count() << " ms\n";
    }
    return tally.acted;
}

bool confirmed(session& s, const invocation& inv, daemon_action action, std::size_t n) {
    auto question = count_of(n) + " will be sent " + std::string(to_string(action)) + ".";
    if (s.confirm && !inv.yes) {
        return s.confirm(question + " Continue? [y/N] ");
    }
    s.out << question << std::endl;
    return true;
}

// The registry's record of `id`, if live.
std::optional<registry::instance> record_of(session& s, const std::string& id) {
    auto* c = s.connect_quietly();
    auto all =
        c == nullptr ? bus::result<std::vector<registry::instance>>{bus::error{}} : c->find();
    if (all) {
        for (const auto& r : *all) {
            if (r.id == id) {
                return r;
            }
        }
    }
    return std::nullopt;
}

// Waits until `id` is registered again by a process other than `old_pid`.
bool back_again(session& s, const std::string& id, std::int64_t old_pid) {
    const auto deadline = std::chrono::steady_clock::now() + rolling_wait;
    while (std::chrono::steady_clock::now() < deadline) {
        auto r = record_of(s, id);
        if (r && r->registered && r->pid != old_pid) {
            return true;
        }
        std::this_thread::sleep_for(rolling_poll);
    }
    return false;
}

int run_rolling(session& s, const invocation& inv, const targets& t) {
    if (!t.plan.plain.empty()) {
        return s.fail(exit_code::usage,
                      "restart --rolling needs instances a host daemon manages; not managed: " +
                          t.plan.plain.front().id);
    }
    std::size_t done = 0;
    for (const auto& r : t.plan.managed) {
        auto before = record_of(s, r.process_id);
        if (!send_routed(s, inv, daemon_action::restart, r)) {
            break;
        }
        if (!back_again(s, r.process_id, before ? before->pid : 0)) {
            s.fail(exit_code::not_all_acted, r.process_id + " is not registered again within " +
                                                 std::to_string(rolling_wait.count()) +
                                                 " ms; stopping the rolling restart");
            break;
        }
        ++done;
    }
    s.out << "restarted " << done << " of " << count_of(t.plan.managed.size()) << '\n';
    return done == t.plan.managed.size() ? exit_code::ok : exit_code::not_all_acted;
}

int route(session& s, const invocation& inv, daemon_action action) {
    if (inv.filter.empty() && inv.args.empty() && !inv.all) {
        throw usage_error(inv.command + " needs a filter (--service, --host, ...), ids or --all");
    }
    int code = exit_code::ok;
    auto t = find_targets(s, inv, action, code);
    if (!t) {
        return code;
    }
    for (const auto& why : t->plan.refused) {
        s.fail(exit_code::not_all_acted, why);
    }
    if (t->plan.managed.empty() && t->plan.refused.empty() && inv.args.empty() && !inv.rolling) {
        // Nothing managed: the plain command, worded as before daemons.
        auto what =
            action == daemon_action::stop ? registry::command::stop : registry::command::restart;
        return steer(s, inv, what, {});
    }
    const auto total = t->plan.managed.size() + t->plan.plain.size();
    if (total == 0) {
        return t->plan.refused.empty() ? s.fail(exit_code::no_match, "no instances to act on")
                                       : exit_code::not_all_acted;
    }
    if (!confirmed(s, inv, action, total)) {
        return s.fail(exit_code::failed, "nothing done");
    }
    if (inv.rolling) {
        return run_rolling(s, inv, *t);
    }
    std::size_t acted = send_plain(s, inv, action, t->plan.plain);
    for (const auto& r : t->plan.managed) {
        acted += send_routed(s, inv, action, r) ? 1 : 0;
    }
    s.out << to_string(action) << ": " << acted << " of " << count_of(total) << " acted\n";
    s.out.flush();
    bool all = acted == total && t->plan.refused.empty();
    return all ? exit_code::ok : exit_code::not_all_acted;
}

}  // namespace

int run_start(session& s, const invocation& inv) {
    return route(s, inv, daemon_action::start);
}

int run_stop(session& s, const invocation& inv) {
    return route(s, inv, daemon_action::stop);
}

int run_restart(session& s, const invocation& inv) {
    return route(s, inv, daemon_action::restart);
}

int run_reset(session& s, const invocation& inv) {
    return route(s, inv, daemon_action::reset);
}

int run_undeploy(session& s, const invocation& inv) {
    return route(s, inv, daemon_action::undeploy);
}

}  // namespace skynet::sky
