#include "skynet/daemon/process_row.hpp"

#include <array>
#include <limits>
#include <utility>

namespace skynet::daemon {

namespace {

using nlohmann::json;

constexpr std::array<process_state, 6> all_states{
    process_state::starting,      process_state::running,  process_state::backoff,
    process_state::crash_looping, process_state::stopping, process_state::stopped};

bus::error bad_field(std::string_view name, std::string_view why) {
    return bus::error{bus::errc::bad_request,
                      "process row: \"" + std::string(name) + "\" " + std::string(why)};
}

// j[name], or nullptr when absent or null (the field keeps its default).
const json* field_of(const json& j, const char* name) {
    auto found = j.find(name);
    return found == j.end() || found->is_null() ? nullptr : &*found;
}

bool read_string(const json& j, const char* name, std::string& out) {
    const json* value = field_of(j, name);
    if (value == nullptr) {
        return true;
    }
    if (!value->is_string()) {
        return false;
    }
    out = value->get<std::string>();
    return true;
}

bool read_strings(const json& j, const char* name, std::vector<std::string>& out) {
    const json* value = field_of(j, name);
    if (value == nullptr) {
        return true;
    }
    if (!value->is_array()) {
        return false;
    }
    std::vector<std::string> items;
    for (const auto& item : *value) {
        if (!item.is_string()) {
            return false;
        }
        items.push_back(item.get<std::string>());
    }
    out = std::move(items);
    return true;
}

// A whole number that fits `Number` (a pid, a count, milliseconds).
template <class Number>
bool read_number(const json& j, const char* name, Number& out) {
    const json* value = field_of(j, name);
    if (value == nullptr) {
        return true;
    }
    if (value->is_number_unsigned()) {
        const auto n = value->get<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<Number>::max())) {
            return false;
        }
        out = static_cast<Number>(n);
        return true;
    }
    if (!value->is_number_integer()) {
        return false;
    }
    const auto n = value->get<std::int64_t>();
    if (n < std::numeric_limits<Number>::min() || n > std::numeric_limits<Number>::max()) {
        return false;
    }
    out = static_cast<Number>(n);
    return true;
}

bool read_state(const json& j, process_state& out) {
    std::string text;
    if (!read_string(j, "state", text)) {
        return false;
    }
    if (field_of(j, "state") == nullptr) {
        return true;
    }
    auto state = parse_process_state(text);
    if (state) {
        out = *state;
    }
    return state.has_value();
}

// The first field of `j` that does not read into `row`, or nothing. Every
// field is read (in the order of the list) before the first bad one is named.
std::optional<std::string_view> first_bad_field(const json& j, process_row& row) {
    const std::pair<std::string_view, bool> read[] = {
        {"id", read_string(j, "id", row.id)},
        {"service", read_string(j, "service", row.service)},
        {"host", read_string(j, "host", row.host)},
        {"state", read_state(j, row.state)},
        {"pid", read_number(j, "pid", row.pid)},
        {"restarts", read_number(j, "restarts", row.restarts)},
        {"last_exit", read_string(j, "last_exit", row.last_exit)},
        {"argv", read_strings(j, "argv", row.argv)},
        {"started_at", read_number(j, "started_at", row.started_at)},
        {"reason", read_string(j, "reason", row.reason)},
    };
    for (const auto& [name, ok] : read) {
        if (!ok) {
            return name;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(process_state state) noexcept {
    switch (state) {
        case process_state::starting:
            return "starting";
        case process_state::running:
            return "running";
        case process_state::backoff:
            return "backoff";
        case process_state::crash_looping:
            return "crash-looping";
        case process_state::stopping:
            return "stopping";
        case process_state::stopped:
            return "stopped";
    }
    return "stopped";
}

std::optional<process_state> parse_process_state(std::string_view text) noexcept {
    for (auto state : all_states) {
        if (text == to_string(state)) {
            return state;
        }
    }
    return std::nullopt;
}

nlohmann::json process_row::to_json() const {
    return nlohmann::json{{"id", id},
                          {"service", service},
                          {"host", host},
                          {"state", std::string(daemon::to_string(state))},
                          {"pid", pid},
                          {"restarts", restarts},
                          {"last_exit", last_exit},
                          {"argv", argv},
                          {"started_at", started_at},
                          {"reason", reason}};
}

bus::result<process_row> process_row::from_json(const nlohmann::json& j) noexcept {
    try {
        if (!j.is_object()) {
            return bus::error{bus::errc::bad_request, "process row: not a JSON object"};
        }
        process_row row;
        if (auto bad = first_bad_field(j, row)) {
            return bad_field(*bad, *bad == "state" ? "is not one of starting, running, backoff, "
                                                     "crash-looping, stopping, stopped"
                                                   : "has the wrong type");
        }
        if (row.id.empty()) {
            return bad_field("id", "is missing");
        }
        return row;
    } catch (const std::exception& e) {
        return bus::error{bus::errc::bad_request, std::string("process row: ") + e.what()};
    }
}

}  // namespace skynet::daemon
