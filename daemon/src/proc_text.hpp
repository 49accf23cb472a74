#pragma once
// Reading and splitting /proc files for host_figures and process_figures.

#include <charconv>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"

namespace skynet::daemon::detail {

// The whole text of a /proc file; unavailable (naming it) if it cannot be read.
bus::result<std::string> read_proc_file(const std::filesystem::path& path);

// Words separated by blanks.
std::vector<std::string_view> split_words(std::string_view text);

// A whole word as a number, or nothing.
template <class Number>
std::optional<Number> to_number(std::string_view word) {
    Number value{};
    const auto* end = word.data() + word.size();
    const auto [next, ec] = std::from_chars(word.data(), end, value);
    if (ec != std::errc() || next != end || word.empty()) {
        return std::nullopt;
    }
    return value;
}

inline bus::error malformed(const std::filesystem::path& path, std::string_view why) {
    return bus::error{bus::errc::bad_request, path.string() + ": " + std::string(why)};
}

}  // namespace skynet::daemon::detail
