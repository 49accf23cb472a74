#pragma once
// Where the registry lives and how to reach it: a redis:// URL and timeouts.

#include <chrono>
#include <string>
#include <string_view>

#include "skynet/bus/result.hpp"

namespace skynet::registry {

struct redis_url {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string user;      // ACL user; empty: "default"
    std::string password;  // empty: no AUTH
    int db = 0;            // SELECT, when not 0

    // "redis://host:port/db", without credentials, for logs and messages.
    std::string to_string() const;
};

// Parses "redis://[[user]:password@]host[:port][/db]". The host may be an
// IPv6 address in brackets; user and password may be %-encoded. Returns
// bad_request saying what is wrong. Never throws.
bus::result<redis_url> parse_redis_url(std::string_view text) noexcept;

// How every registry object talks to Redis.
struct options {
    redis_url redis;
    // Every key and the channel start with it (docs/design.md: configurable).
    std::string prefix = "skynet:";
    // An unreachable Redis is reported within these, never a hang.
    std::chrono::milliseconds connect_timeout{1500};
    std::chrono::milliseconds command_timeout{1500};
};

// Options for `url` with the default timeouts; bad_request for a bad URL.
bus::result<options> options_from_url(std::string_view url, std::string prefix = "skynet:");

}  // namespace skynet::registry
