#include "command_wire.hpp"

#include <array>
#include <random>

namespace skynet::registry::detail {

namespace {

constexpr std::size_t max_nonce = 64;

constexpr std::array<std::pair<command, std::string_view>, 5> spellings{{
    {command::register_, "register"},
    {command::unregister, "unregister"},
    {command::stop, "stop"},
    {command::restart, "restart"},
    {command::log_level, "log"},
}};

// The word up to the first space, and what follows that space.
std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
    auto space = text.find(' ');
    if (space == std::string_view::npos) {
        return {text, {}};
    }
    return {text.substr(0, space), text.substr(space + 1)};
}

}  // namespace

std::string command_channel(std::string_view prefix, std::string_view id) {
    return std::string(prefix) + "commands:" + std::string(id);
}

std::string ack_list(std::string_view prefix, std::string_view nonce) {
    return std::string(prefix) + "acks:" + std::string(nonce);
}

bool valid_nonce(std::string_view nonce) noexcept {
    if (nonce.empty() || nonce.size() > max_nonce) {
        return false;
    }
    for (char c : nonce) {
        bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum) {
            return false;
        }
    }
    return true;
}

std::string make_nonce() {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 32; ++i) {
        out.push_back(digits[engine() & 0xF]);
    }
    return out;
}

bool valid_verb(std::string_view verb) noexcept {
    if (verb.empty()) {
        return false;
    }
    for (char c : verb) {
        auto u = static_cast<unsigned char>(c);
        if (u <= ' ' || u == 0x7F) {
            return false;
        }
    }
    return true;
}

std::string format_command(std::string_view nonce, std::string_view verb,
                           std::string_view argument) {
    std::string out(nonce);
    out.append(" ").append(verb);
    if (!argument.empty()) {
        out.append(" ").append(argument);
    }
    return out;
}

std::optional<command_message> parse_command(std::string_view payload) {
    auto [nonce, rest] = split_word(payload);
    if (!valid_nonce(nonce)) {
        return std::nullopt;
    }
    auto [verb, argument] = split_word(rest);
    return command_message{std::string(nonce), std::string(verb), command_from_string(verb),
                           std::string(argument)};
}

std::string format_ack(std::string_view id, const std::optional<std::string>& error,
                       std::string_view answer) {
    std::string out(id);
    if (error) {
        out.append(" error ").append(*error);
    } else {
        out.append(" ok");
        if (!answer.empty()) {
            out.append(" ").append(answer);
        }
    }
    return out;
}

std::optional<ack> parse_ack(std::string_view payload) {
    auto [id, rest] = split_word(payload);
    if (id.empty()) {
        return std::nullopt;
    }
    auto [word, detail] = split_word(rest);
    if (word == "ok") {
        return ack{std::string(id), true, std::string(detail)};
    }
    if (word != "error") {
        return std::nullopt;
    }
    return ack{std::string(id), false, std::string(detail)};
}

}  // namespace skynet::registry::detail

namespace skynet::registry {

std::string_view to_string(command c) noexcept {
    for (const auto& [value, spelling] : detail::spellings) {
        if (value == c) {
            return spelling;
        }
    }
    return "unknown";
}

std::optional<command> command_from_string(std::string_view text) noexcept {
    for (const auto& [value, spelling] : detail::spellings) {
        if (spelling == text) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view to_string(command_status status) noexcept {
    switch (status) {
        case command_status::acted:
            return "acted";
        case command_status::failed:
            return "failed";
        case command_status::no_answer:
            return "no answer";
        case command_status::not_listening:
            return "not listening";
    }
    return "unknown";
}

}  // namespace skynet::registry
