#pragma once
// Line numbers for errors in JSON files people edit: where a parse failed,
// and where each element of the top object's "processes" array begins.

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "skynet/bus/result.hpp"

namespace skynet::daemon::detail {

// 1-based line of byte `offset` in `text`.
int line_of(const std::string& text, std::size_t offset);

// The line on which each object of the array that is a direct member of the
// top object begins, in order (the text must have parsed).
std::vector<int> element_lines(const std::string& text);

// The whole file; an error naming it if it cannot be read.
bus::result<std::string> read_text(const std::filesystem::path& path);

// `text` parsed as JSON, or an error "<path>:<line>: <what>".
bus::result<nlohmann::json> parse_with_line(const std::filesystem::path& path,
                                            const std::string& text);

// {"processes": [...]}: the array, or an error naming the path.
bus::result<nlohmann::json> processes_array(const std::filesystem::path& path,
                                            const nlohmann::json& top);

}  // namespace skynet::daemon::detail
