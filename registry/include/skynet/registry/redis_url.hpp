#pragma once
// Where the registry lives and how to reach it: a redis:// URL (or a
// redis-sentinel:// one, naming the sentinels that know where the master
// is) and timeouts.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"

namespace skynet::registry {

struct redis_address {
    std::string host;
    int port = 0;

    // "host:port", an IPv6 host in brackets.
    std::string to_string() const;
};

struct redis_url {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string user;      // ACL user; empty: "default"
    std::string password;  // empty: no AUTH
    int db = 0;            // SELECT, when not 0
    // Through Redis Sentinel: these sentinels are asked, in turn, where the
    // master called `master_name` is, on every connection (host and port
    // above are not used then). Empty: connect to host:port.
    std::vector<redis_address> sentinels;
    std::string master_name;

    bool via_sentinel() const noexcept { return !sentinels.empty(); }
    // "redis://host:port/db" or "redis-sentinel://h:p,h:p/name/db", without
    // credentials, for logs and messages.
    std::string to_string() const;
};

// Parses "redis://[[user]:password@]host[:port][/db]" and
// "redis-sentinel://[[user]:password@]host[:port][,host[:port]...]/master[/db]"
// (a sentinel's port is 26379 unless given; the credentials are the
// master's, and a sentinel that asks for a password gets them too). A host
// may be an IPv6 address in brackets; user and password may be %-encoded.
// Returns bad_request saying what is wrong. Never throws.
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
