#include "skynet/sky/daemon_protocol.hpp"

#include <utility>

namespace skynet::sky {

using bus::errc;
using bus::error;
using bus::result;
using nlohmann::json;

namespace {

error bad_answer(std::string_view what, std::string_view why) {
    return error{errc::bad_request,
                 "daemon answer to " + std::string(what) + ": " + std::string(why)};
}

// The JSON object in `text`, or why not.
result<json> object_of(std::string_view what, std::string_view text) noexcept {
    try {
        auto j = json::parse(text, nullptr, false);
        if (j.is_discarded()) {
            return bad_answer(what, "not JSON");
        }
        if (!j.is_object()) {
            return bad_answer(what, "not a JSON object");
        }
        return j;
    } catch (const std::exception& e) {
        return bad_answer(what, e.what());
    }
}

// Reads j[name] into `out` if present; false if it has the wrong type.
template <class T>
bool read_field(const json& j, const char* name, T& out) {
    auto found = j.find(name);
    if (found == j.end() || found->is_null()) {
        return true;
    }
    if constexpr (std::is_same_v<T, std::string>) {
        if (!found->is_string()) {
            return false;
        }
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
        if (!found->is_array()) {
            return false;
        }
        for (const auto& item : *found) {
            if (!item.is_string()) {
                return false;
            }
        }
    } else {
        if (!found->is_number_integer() && !found->is_number_unsigned()) {
            return false;
        }
    }
    out = found->get<T>();
    return true;
}

}  // namespace

std::string deploy_argument(const daemon::process_spec& spec) {
    const json full = daemon::to_json(spec);
    json j = json::object();
    for (const char* name : {"argv", "env", "cwd", "restart", "count"}) {
        j[name] = full.at(name);
    }
    if (!spec.service.empty()) {
        j["service"] = full.at("service");
    }
    return j.dump();
}

json logs_request::to_json() const {
    return json{{"id", id}, {"tail", tail}, {"grep", grep}, {"cursor", cursor}};
}

std::string id_argument(std::string_view id) {
    return json{{"id", std::string(id)}}.dump();
}

result<std::vector<std::string>> parse_deploy_answer(std::string_view text) noexcept {
    auto j = object_of("deploy", text);
    if (!j) {
        return j.err();
    }
    std::vector<std::string> ids;
    try {
        if (!j->contains("ids") || !read_field(*j, "ids", ids)) {
            return bad_answer("deploy", "no \"ids\" list of strings");
        }
    } catch (const std::exception& e) {
        return bad_answer("deploy", e.what());
    }
    return ids;
}

result<processes_answer> parse_processes_answer(std::string_view text) noexcept {
    auto j = object_of("processes", text);
    if (!j) {
        return j.err();
    }
    processes_answer out;
    try {
        if (!read_field(*j, "host", out.host)) {
            return bad_answer("processes", "\"host\" is not a string");
        }
        auto rows = j->find("processes");
        if (rows == j->end() || !rows->is_array()) {
            return bad_answer("processes", "no \"processes\" list");
        }
        for (const auto& item : *rows) {
            auto row = daemon::process_row::from_json(item);
            if (!row) {
                return bad_answer("processes", row.err().detail);
            }
            out.processes.push_back(std::move(row).value());
        }
    } catch (const std::exception& e) {
        return bad_answer("processes", e.what());
    }
    return out;
}

result<state_answer> parse_state_answer(std::string_view text) noexcept {
    auto j = object_of("a process command", text);
    if (!j) {
        return j.err();
    }
    state_answer out;
    try {
        if (!read_field(*j, "id", out.id) || !read_field(*j, "state", out.state)) {
            return bad_answer("a process command", "\"id\" or \"state\" is not a string");
        }
    } catch (const std::exception& e) {
        return bad_answer("a process command", e.what());
    }
    return out;
}

result<logs_answer> parse_logs_answer(std::string_view text) noexcept {
    auto j = object_of("logs", text);
    if (!j) {
        return j.err();
    }
    logs_answer out;
    try {
        bool ok = j->contains("lines") && read_field(*j, "lines", out.lines) &&
                  read_field(*j, "cursor", out.cursor) && read_field(*j, "dropped", out.dropped);
        if (!ok) {
            return bad_answer("logs", "\"lines\", \"cursor\" or \"dropped\" is missing or wrong");
        }
    } catch (const std::exception& e) {
        return bad_answer("logs", e.what());
    }
    return out;
}

}  // namespace skynet::sky
