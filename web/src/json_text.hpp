#pragma once
// JSON to text for the wire: compact, and bytes that are not UTF-8 (a
// record or a log line may hold any) replaced rather than thrown on.

#include <nlohmann/json.hpp>
#include <string>

namespace skynet::web {

inline std::string json_text(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace skynet::web
