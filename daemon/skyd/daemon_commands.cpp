// A host daemon's commands (daemon_commands.hpp).
#include "daemon_commands.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "host_daemon.hpp"
#include "skynet/daemon/log_reader.hpp"

namespace skynet::daemon {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 8> names = {"deploy",  "processes", "start",    "stop",
                                                   "restart", "reset",     "undeploy", "logs"};
constexpr std::size_t most_tail = 100000;

json parse_argument(std::string_view name, const std::string& argument) {
    if (argument.empty()) {
        return json::object();
    }
    auto parsed = json::parse(argument, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        throw std::invalid_argument(std::string(name) + ": the argument is not a JSON object");
    }
    return parsed;
}

std::string string_field(const json& j, const char* field) {
    const auto at = j.find(field);
    if (at == j.end() || !at->is_string()) {
        return {};
    }
    return at->get<std::string>();
}

std::string required_id(std::string_view name, const json& j) {
    auto id = string_field(j, "id");
    if (id.empty()) {
        throw std::invalid_argument(std::string(name) + ": \"id\" is missing");
    }
    return id;
}

template <class T>
T value_or_throw(bus::result<T> outcome) {
    if (!outcome) {
        throw std::invalid_argument(outcome.err().detail);
    }
    return std::move(*outcome);
}

std::string deploy(supervisor& processes, const json& argument) {
    auto spec = value_or_throw(process_spec_from_json(argument));
    auto ids = value_or_throw(processes.deploy(spec));
    return json{{"ids", ids}}.dump();
}

json event_json(const daemon_event& e) {
    return {{"at", e.at}, {"id", e.id}, {"what", e.what}, {"detail", e.detail}};
}

std::string list(const supervisor& processes, const command_context& context) {
    json rows = json::array();
    for (auto row : processes.list()) {
        if (auto why = context.rotation ? context.rotation(row.id) : ""; !why.empty()) {
            row.reason = "out of rotation: " + why;
        }
        rows.push_back(row.to_json());
    }
    json events = json::array();
    if (context.events != nullptr) {
        for (const auto& e : *context.events) {
            events.push_back(event_json(e));
        }
    }
    return json{{"host", context.host}, {"processes", rows}, {"events", events}}.dump();
}

std::string logs(const supervisor& processes, const command_context& context,
                 const json& argument) {
    const auto id = required_id("logs", argument);
    if (!processes.spec(id)) {
        throw std::invalid_argument("no process " + id);
    }
    log_query query;
    if (const auto tail = argument.find("tail"); tail != argument.end()) {
        if (!tail->is_number_integer() || tail->get<std::int64_t>() < 0) {
            throw std::invalid_argument("logs: \"tail\" must be a count of lines");
        }
        query.tail = std::min<std::size_t>(tail->get<std::size_t>(), most_tail);
    }
    query.grep = string_field(argument, "grep");
    query.cursor = string_field(argument, "cursor");
    auto page = value_or_throw(read_log(context.log_dir, id, query, context.log_files));
    const std::uint64_t dropped = context.dropped ? context.dropped(id) : 0;
    return json{
        {"lines", page.lines}, {"cursor", page.cursor}, {"gap", page.gap}, {"dropped", dropped}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

using by_id = bus::result<process_row> (supervisor::*)(const std::string&);

by_id command_by_id(std::string_view name) {
    if (name == "start") {
        return &supervisor::start;
    }
    if (name == "stop") {
        return &supervisor::stop;
    }
    if (name == "restart") {
        return &supervisor::restart;
    }
    if (name == "reset") {
        return &supervisor::reset;
    }
    if (name == "undeploy") {
        return &supervisor::undeploy;
    }
    return nullptr;
}

}  // namespace

std::span<const std::string_view> daemon_command_names() noexcept {
    return names;
}

std::string answer_command(supervisor& processes, const command_context& context,
                           std::string_view name, const std::string& argument) {
    const auto parsed = parse_argument(name, argument);
    if (name == "deploy") {
        return deploy(processes, parsed);
    }
    if (name == "processes") {
        return list(processes, context);
    }
    if (name == "logs") {
        return logs(processes, context, parsed);
    }
    if (auto command = command_by_id(name)) {
        const auto id = required_id(name, parsed);
        return value_or_throw((processes.*command)(id)).to_json().dump();
    }
    throw std::invalid_argument("unknown command " + std::string(name));
}

}  // namespace skynet::daemon
