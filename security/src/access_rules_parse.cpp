// The access rules' text: one rule a line, `allow KEY offer|call PATTERN...`,
// `#` comments, blank lines. Every fault names its line, so that a person
// fixing the file goes straight to it.
#include <vector>

#include "compiled_rules.hpp"
#include "glob.hpp"

namespace skynet::security {

namespace {

constexpr std::size_t max_token = 255;

[[noreturn]] void fail(std::size_t line, const std::string& why) {
    throw access_rules_error(line, "line " + std::to_string(line) + ": " + why);
}

// What a person sees of a token in a message: printable, and not too long.
std::string shown(std::string_view token) {
    std::string out;
    for (char c : token.substr(0, 40)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : '?';
    }
    return "'" + out + (token.size() > 40 ? "...'" : "'");
}

// The line's words, up to a `#` that begins a word (a comment).
std::vector<std::string_view> words_of(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        if (i == line.size() || line[i] == '#') {
            break;
        }
        const auto start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        words.push_back(line.substr(start, i - start));
    }
    return words;
}

bool key_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '*' || c == '?';
}

// Key names are the names of key files (NAME.pub): letters, digits, . _ -.
std::string key_pattern(std::size_t line, std::string_view word) {
    if (word.size() > max_token) {
        fail(line, "key name longer than 255 characters");
    }
    for (char c : word) {
        if (!key_char(c)) {
            fail(line, "key name " + shown(word) +
                           " may hold only letters, digits, '.', '_', '-' and the globs '*' '?'");
        }
    }
    return std::string(word);
}

detail::service_pattern service_pattern(std::size_t line, std::string_view word) {
    if (word.size() > max_token) {
        fail(line, "service pattern longer than 255 characters");
    }
    for (char c : word) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) {
            fail(line, "service pattern " + shown(word) + " holds a control or non-ASCII byte");
        }
    }
    // Split as the wire splits (bus::split_service_name): at the first '@'.
    const auto at = word.find('@');
    if (at != std::string_view::npos && (at == 0 || at + 1 == word.size())) {
        fail(line, "service pattern " + shown(word) + ": 'name@version' needs both parts");
    }
    detail::service_pattern p;
    p.name = std::string(word.substr(0, at));
    if (at != std::string_view::npos) {
        p.version = std::string(word.substr(at + 1));
    }
    p.name_glob = detail::has_wildcard(p.name);
    p.version_glob = detail::has_wildcard(p.version);
    return p;
}

void parse_line(std::size_t line, std::string_view text, access_rules::compiled& into) {
    const auto words = words_of(text);
    if (words.empty()) {
        return;
    }
    if (words[0] != "allow") {
        fail(line, "a rule begins with 'allow', not " + shown(words[0]) +
                       " (anything not allowed is denied)");
    }
    if (words.size() < 2) {
        fail(line, "a key name is expected after 'allow'");
    }
    const auto key = key_pattern(line, words[1]);
    if (words.size() < 3 || (words[2] != "offer" && words[2] != "call")) {
        fail(line, "'offer' or 'call' is expected after the key" +
                       (words.size() < 3 ? std::string() : ", not " + shown(words[2])));
    }
    if (words.size() < 4) {
        fail(line, "no service after '" + std::string(words[2]) + "'");
    }
    std::vector<detail::service_pattern> patterns;
    for (std::size_t i = 3; i < words.size(); ++i) {
        patterns.push_back(service_pattern(line, words[i]));
    }
    auto& grants = into.grants_for(key);
    auto& list = words[2] == "offer" ? grants.offer : grants.call;
    list.insert(list.end(), patterns.begin(), patterns.end());
    ++into.lines;
}

}  // namespace

void parse_rules(std::string_view text, access_rules::compiled& into) {
    std::size_t line = 0;
    while (!text.empty() || line == 0) {
        ++line;
        const auto end = text.find('\n');
        auto current = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (!current.empty() && current.back() == '\r') {
            current.remove_suffix(1);
        }
        parse_line(line, current, into);
    }
}

}  // namespace skynet::security
