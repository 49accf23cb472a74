// GET /api/logs?service=S[&id=ID][&grep=RE][&tail=N]: the live tail of a
// service's managed processes, read by their host daemons (skyd's `logs`
// command, followed with its cursor as `sky logs -f` does), as
// `event: line` {"host","id","line"}; a daemon that fails is one
// `event: problem` {"host","id","text"} until it answers again.
#include <charconv>
#include <optional>
#include <regex>
#include <set>
#include <variant>

#include "json_text.hpp"
#include "server_context.hpp"
#include "skynet/registry/commands.hpp"
#include "skynet/sky/daemon_calls.hpp"

namespace skynet::web {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds poll_interval{500};
constexpr int default_tail = 50;
constexpr int most_tail = 10000;

struct followed {
    sky::daemon_route route;
    std::string cursor;
    bool failing = false;
};

// The request's logs_request, or the problem for a 400.
std::variant<sky::logs_request, std::string> read_request(const httplib::Request& req) {
    static const std::set<std::string> known{"service", "id", "grep", "tail"};
    for (const auto& [name, value] : req.params) {
        if (!known.contains(name)) {
            return "unknown parameter '" + name + "'";
        }
    }
    if (req.get_param_value("service").empty()) {
        return std::string("service is required");
    }
    sky::logs_request out{.tail = default_tail};
    if (req.has_param("tail")) {
        const auto text = req.get_param_value("tail");
        auto [at, problem] = std::from_chars(text.data(), text.data() + text.size(), out.tail);
        if (problem != std::errc{} || at != text.data() + text.size() || out.tail < 0 ||
            out.tail > most_tail) {
            return "tail must be a number from 0 to " + std::to_string(most_tail);
        }
    }
    out.grep = req.get_param_value("grep");
    try {
        std::regex check(out.grep);
    } catch (const std::regex_error& e) {
        return "grep is not a regular expression: " + std::string(e.what());
    }
    return out;
}

// One `logs` command for one process; its new lines as SSE messages.
std::string poll_once(const server_context& context, const sky::logs_request& base, followed& f) {
    auto request = base;
    request.id = f.route.process_id;
    request.cursor = f.cursor;
    std::vector<std::string> ids{f.route.daemon_id};
    auto outcomes =
        registry::send_command(context.options.registry, ids, "logs", json_text(request.to_json()),
                               context.options.command_timeout);
    std::string problem;
    if (!outcomes) {
        problem = outcomes.err().detail;
    } else if (outcomes->front().status != registry::command_status::acted) {
        problem = sky::problem_of(outcomes->front(), f.route.daemon_host,
                                  context.options.command_timeout);
    } else if (auto answer = sky::parse_logs_answer(outcomes->front().detail); !answer) {
        problem = answer.err().detail;
    } else {
        std::string out;
        for (const auto& line : answer->lines) {
            nlohmann::json j{
                {"host", f.route.daemon_host}, {"id", f.route.process_id}, {"line", line}};
            out += sse_message(0, "line", json_text(j));
        }
        f.cursor = answer->cursor;
        f.failing = false;
        return out;
    }
    if (f.failing) {
        return {};
    }
    f.failing = true;
    nlohmann::json j{{"host", f.route.daemon_host}, {"id", f.route.process_id}, {"text", problem}};
    return sse_message(0, "problem", json_text(j));
}

// The processes of the service (and id) the daemons list.
std::vector<followed> chosen(const std::vector<sky::daemon_listing>& listings,
                             const std::string& service, const std::string& id) {
    std::vector<followed> out;
    for (const auto& l : listings) {
        for (const auto& row : l.answer.processes) {
            if (row.service == service && (id.empty() || row.id == id)) {
                out.push_back({{l.daemon.id, l.daemon.host, row.id}, {}, false});
            }
        }
    }
    return out;
}

// The processes to follow, or nothing after answering why not.
std::optional<std::vector<followed>> find_followed(const server_context& context,
                                                   const httplib::Request& req,
                                                   httplib::Response& res) {
    const auto service = req.get_param_value("service");
    const auto daemons = context.model.of_kind(registry::instance_kind::daemon);
    auto listed =
        sky::list_processes(context.options.registry, daemons, context.options.command_timeout);
    if (!listed) {
        send_error(res, 503, "cannot ask the host daemons: " + listed.err().detail);
        return std::nullopt;
    }
    auto all = chosen(listed->listings, service, req.get_param_value("id"));
    if (all.empty()) {
        send_error(res, 404, "no managed process of service '" + service + "'");
        return std::nullopt;
    }
    return all;
}

}  // namespace

void add_logs_stream(httplib::Server& server, server_context& context) {
    server.Get("/api/logs", [&context](const httplib::Request& req, httplib::Response& res) {
        auto parsed = read_request(req);
        if (auto* problem = std::get_if<std::string>(&parsed)) {
            send_error(res, 400, *problem);
            return;
        }
        auto all = find_followed(context, req, res);
        if (!all) {
            return;
        }
        std::shared_ptr<stream_slot> slot = context.hub.open();
        if (!slot) {
            send_error(res, 503, "too many streams");
            return;
        }
        auto state = std::make_shared<std::vector<followed>>(std::move(*all));
        auto next = std::make_shared<steady_clock::time_point>(steady_clock::now());
        auto request = std::get<sky::logs_request>(std::move(parsed));
        auto turn = [&context, state, next, request](stream_queue& queue) {
            if (steady_clock::now() < *next) {
                return true;
            }
            *next = steady_clock::now() + poll_interval;
            for (auto& f : *state) {
                if (auto text = poll_once(context, request, f); !text.empty()) {
                    queue.push(std::move(text));
                }
            }
            return true;
        };
        stream_events(res, std::move(slot), context.options.ping_interval, poll_interval,
                      std::move(turn));
    });
}

}  // namespace skynet::web
