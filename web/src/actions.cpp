// POST /api/actions {"action":"unregister"|"register"|"restart"|"stop",
// "ids":[...]} -> {"results":[{"id","ok","text"}]}, one result per id in
// the order given. unregister and register go to the workers through the
// command channel; restart and stop go to the owning host daemon for
// managed instances and as the plain command to the others, as `sky` does
// (skynet/sky/daemon_routing.hpp). Blocks its HTTP thread up to the command
// timeout.
#include <algorithm>
#include <map>
#include <variant>

#include "json_text.hpp"
#include "server_context.hpp"
#include "skynet/sky/daemon_calls.hpp"
#include "skynet/sky/steering.hpp"

namespace skynet::web {

namespace {

using nlohmann::json;
using registry::command_status;

constexpr std::size_t most_ids = 1000;
// What `sky restart` prints for instances no daemon manages (sky/cli/steering.cpp).
constexpr const char* unmanaged_note =
    "not managed by skyd: it exits, and comes back only if something restarts it "
    "(sky deploy runs a service under skyd)";

struct action_request {
    std::string action;
    std::vector<std::string> ids;
};

using results = std::map<std::string, json>;  // id -> {"ok","text"}

std::variant<action_request, std::string> read_body(const std::string& body) {
    const auto j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return std::string("the body must be a JSON object");
    }
    const auto action = j.find("action");
    if (action == j.end() || !action->is_string()) {
        return std::string("action must be a string");
    }
    action_request out{action->get<std::string>(), {}};
    if (out.action != "unregister" && out.action != "register" && out.action != "restart" &&
        out.action != "stop") {
        return "unknown action '" + out.action + "' (unregister, register, restart, stop)";
    }
    const auto ids = j.find("ids");
    if (ids == j.end() || !ids->is_array() || ids->empty() || ids->size() > most_ids) {
        return "ids must be an array of 1 to " + std::to_string(most_ids) + " instance ids";
    }
    for (const auto& id : *ids) {
        if (!id.is_string() || id.get<std::string>().empty()) {
            return std::string("ids must hold non-empty strings");
        }
        out.ids.push_back(id.get<std::string>());
    }
    return out;
}

std::string problem_text(const registry::command_outcome& o, std::chrono::milliseconds timeout) {
    switch (o.status) {
        case command_status::failed:
            return o.detail;
        case command_status::no_answer:
            return "no answer within " + std::to_string(timeout.count()) + " ms";
        default:
            return "not listening (gone, or not one of ours)";
    }
}

// The plain command to `targets`; each outcome into `out`.
void send_plain(const server_context& context, const std::vector<registry::instance>& targets,
                registry::command what, results& out) {
    if (targets.empty()) {
        return;
    }
    const auto timeout = context.options.command_timeout;
    auto outcomes = sky::send_action(context.options.registry, targets, what, {}, timeout);
    for (const auto& r : targets) {
        out[r.id] = {{"ok", false}, {"text", outcomes ? "" : outcomes.err().detail}};
    }
    if (!outcomes) {
        return;
    }
    const auto words = sky::words_for(what);
    for (const auto& o : *outcomes) {
        const bool ok = o.status == command_status::acted;
        std::string text = ok ? words.past : problem_text(o, timeout);
        if (ok && what == registry::command::restart) {
            text += "; " + std::string(unmanaged_note);
        }
        out[o.id] = {{"ok", ok}, {"text", text}};
    }
}

// A managed process, through its daemon.
json send_routed(const server_context& context, sky::daemon_action action,
                 const sky::daemon_route& r) {
    const auto timeout = context.options.command_timeout;
    std::vector<std::string> ids{r.daemon_id};
    auto outcomes = registry::send_command(context.options.registry, ids, to_string(action),
                                           sky::id_argument(r.process_id), timeout);
    if (!outcomes) {
        return {{"ok", false}, {"text", outcomes.err().detail}};
    }
    const auto& o = outcomes->front();
    if (o.status != command_status::acted) {
        return {{"ok", false}, {"text", sky::problem_of(o, r.daemon_host, timeout)}};
    }
    auto state = sky::parse_state_answer(o.detail);
    return {{"ok", true},
            {"text", r.daemon_host + "/" + r.process_id + ": " +
                         (state ? state->state : "done (" + state.err().detail + ")")}};
}

void steer_workers(const server_context& context, const action_request& request, results& out) {
    const auto what =
        request.action == "register" ? registry::command::register_ : registry::command::unregister;
    std::vector<registry::instance> targets;
    for (const auto& r : context.model.instances()) {
        if (std::find(request.ids.begin(), request.ids.end(), r.id) == request.ids.end()) {
            continue;
        }
        if (r.kind == registry::instance_kind::worker) {
            targets.push_back(r);
        } else {
            out[r.id] = {{"ok", false}, {"text", "only workers can be (un)registered"}};
        }
    }
    send_plain(context, targets, what, out);
}

void route_processes(const server_context& context, const action_request& request, results& out) {
    const auto action =
        request.action == "stop" ? sky::daemon_action::stop : sky::daemon_action::restart;
    const auto daemons = context.model.of_kind(registry::instance_kind::daemon);
    std::vector<sky::daemon_listing> listings;
    if (!daemons.empty()) {
        auto listed =
            sky::list_processes(context.options.registry, daemons, context.options.command_timeout);
        listings = listed ? std::move(listed->listings) : context.model.listings();
    }
    const auto plan =
        sky::plan_routes(action, {}, context.model.instances(), listings, request.ids);
    send_plain(
        context, plan.plain,
        action == sky::daemon_action::stop ? registry::command::stop : registry::command::restart,
        out);
    for (const auto& r : plan.managed) {
        out[r.process_id] = send_routed(context, action, r);
    }
}

}  // namespace

void add_actions(httplib::Server& server, server_context& context) {
    server.Post("/api/actions", [&context](const httplib::Request& req, httplib::Response& res) {
        auto parsed = read_body(req.body);
        if (auto* problem = std::get_if<std::string>(&parsed)) {
            send_error(res, 400, *problem);
            return;
        }
        const auto& request = std::get<action_request>(parsed);
        results out;
        if (request.action == "register" || request.action == "unregister") {
            steer_workers(context, request, out);
        } else {
            route_processes(context, request, out);
        }
        json list = json::array();
        for (const auto& id : request.ids) {
            auto at = out.find(id);
            list.push_back(
                at != out.end()
                    ? json{{"id", id}, {"ok", at->second["ok"]}, {"text", at->second["text"]}}
                    : json{{"id", id}, {"ok", false}, {"text", "no such instance"}});
        }
        send_json(res, json{{"results", std::move(list)}});
    });
}

}  // namespace skynet::web
