#pragma once
// Access rules (docs/security.md): which keys, by name, may offer which
// services (READY) and which may call which (client requests). A file a
// person reads and reviews, one rule a line:
//
//     # the billing workers, and no one else, serve billing 2.x
//     allow billing-worker offer billing@2.*
//     allow frontend call billing fibonacci
//     allow ops-* call *
//
// Anything no rule allows is denied. Patterns are exact names or globs
// (`*`, `?`) on the key, and on the service as `name` (any version, or none)
// or `name@version`. The rules are compiled once when parsed: a check looks
// the key up by hash and tries only that key's patterns and the few that
// name keys by glob; it allocates nothing.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace skynet::security {

// A rules text that does not parse: what() names the line and the fault
// ("access rules line 3: 'offer' or 'call' expected after the key, got 'serve'").
class access_rules_error : public std::runtime_error {
public:
    access_rules_error(std::size_t line, const std::string& what);
    // The 1-based line at fault; 0 for a file that could not be read.
    std::size_t line() const noexcept { return line_; }

private:
    std::size_t line_;
};

class access_rules {
public:
    // Rules that allow nothing.
    access_rules();
    ~access_rules();
    access_rules(access_rules&&) noexcept;
    access_rules& operator=(access_rules&&) noexcept;
    access_rules(const access_rules&) = delete;
    access_rules& operator=(const access_rules&) = delete;

    // The rules in `text`. Throws access_rules_error at the first fault.
    static access_rules parse(std::string_view text);
    // The rules in the file at `path`. Throws access_rules_error if it cannot
    // be read (line 0) or does not parse.
    static access_rules load(const std::filesystem::path& path);

    // May the key named `key` announce READY for `service` ("name" or
    // "name@version", as the worker sent it)? An empty key (a peer that
    // brought none) may do nothing. Any thread; never throws or allocates.
    bool may_offer(std::string_view key, std::string_view service) const noexcept;
    // May the key named `key` send requests for `service` (the name the
    // request carries)? A rule's bare `name` allows every version of it;
    // `name@2.*` allows only "name@2.x" requests, not a bare "name", which
    // could reach any version.
    bool may_call(std::string_view key, std::string_view service) const noexcept;

    // How many rule lines there were, for the log line of a (re)load.
    std::size_t size() const noexcept;

    // The compiled form, defined inside the library only.
    struct compiled;

private:
    std::unique_ptr<compiled> rules_;
};

}  // namespace skynet::security
