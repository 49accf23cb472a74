#pragma once
// Glob patterns of the access rules: `*` any run of characters (none too),
// `?` exactly one; every other character stands for itself.

#include <string_view>

namespace skynet::security::detail {

inline bool has_wildcard(std::string_view pattern) noexcept {
    return pattern.find_first_of("*?") != std::string_view::npos;
}

// True if `pattern` matches the whole of `text`. Iterative: a `*` remembers
// where it stood and gives back one more character on each mismatch, so the
// cost is bounded by pattern * text, never exponential.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

}  // namespace skynet::security::detail
