#pragma once
// The command channel's text formats (commands.hpp has the protocol). Both
// sides read bytes anyone with access to Redis could have written, so the
// parsers never throw: a malformed message is nothing.

#include <optional>
#include <string>
#include <string_view>

#include "skynet/registry/commands.hpp"

namespace skynet::registry::detail {

// The channel an instance listens on, and the list a sending's acks go to.
std::string command_channel(std::string_view prefix, std::string_view id);
std::string ack_list(std::string_view prefix, std::string_view nonce);

// 1-64 ASCII letters and digits: safe inside a key name.
bool valid_nonce(std::string_view nonce) noexcept;

// A fresh nonce of 32 hex digits.
std::string make_nonce();

// "<nonce> <command>[ <argument>]".
std::string format_command(std::string_view nonce, std::string_view verb,
                           std::string_view argument);

// A verb that fits the format: not empty, no space or control character.
bool valid_verb(std::string_view verb) noexcept;

struct command_message {
    std::string nonce;
    std::string verb;  // as received: an unknown one is answered with an error
    std::optional<command> what;
    std::string argument;
};

// Nothing if the nonce is missing or invalid (nobody could be answered).
std::optional<command_message> parse_command(std::string_view payload);

// "<id> ok", "<id> ok <answer>" (answer not empty) or "<id> error <text>".
std::string format_ack(std::string_view id, const std::optional<std::string>& error,
                       std::string_view answer = {});

struct ack {
    std::string id;
    bool ok = false;
    std::string detail;  // the error text, or the answer after "ok "
};

std::optional<ack> parse_ack(std::string_view payload);

}  // namespace skynet::registry::detail
