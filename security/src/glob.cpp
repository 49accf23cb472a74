#include "glob.hpp"

namespace skynet::security::detail {

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;  // pattern index after the last `*`
    std::size_t star_text = 0;                  // where that `*` began to match
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = ++p;
            star_text = t;
        } else if (star != std::string_view::npos) {
            p = star;  // the `*` takes one more character
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace skynet::security::detail
