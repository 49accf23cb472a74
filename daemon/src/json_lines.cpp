#include "json_lines.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace skynet::daemon::detail {

int line_of(const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    const auto newlines =
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    return static_cast<int>(newlines) + 1;
}

// A scan that skips strings and counts nesting: an object opening at depth
// 2 (top object, then the array) is an element.
std::vector<int> element_lines(const std::string& text) {
    std::vector<int> lines;
    int depth = 0;
    int line = 1;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (c == '\n') {
            ++line;
        }
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (c == '{' && depth == 2) {
                lines.push_back(line);
            }
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return lines;
}

bus::result<std::string> read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return bus::error{bus::errc::bad_request,
                          path.string() + ": cannot read: " + std::strerror(errno)};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bus::result<nlohmann::json> parse_with_line(const std::filesystem::path& path,
                                            const std::string& text) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based, just past the offending character.
        const auto at = e.byte > 0 ? e.byte - 1 : 0;
        return bus::error{
            bus::errc::bad_request,
            path.string() + ":" + std::to_string(line_of(text, at)) + ": not JSON: " + e.what()};
    }
}

bus::result<nlohmann::json> processes_array(const std::filesystem::path& path,
                                            const nlohmann::json& top) {
    if (!top.is_object() || !top.contains("processes") || !top.at("processes").is_array()) {
        return bus::error{bus::errc::bad_request,
                          path.string() + ":1: expected {\"processes\": [...]}"};
    }
    return top.at("processes");
}

}  // namespace skynet::daemon::detail
