#pragma once
// What every sky command runs with: where the registry is, where to print,
// whether a person is asked before acting, and one registry connection,
// opened on first use and again after it broke.

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "invocation.hpp"
#include "skynet/registry/connection.hpp"

namespace skynet::sky {

class session {
public:
    // Throws usage_error for a URL that does not parse. Timeouts are 1 s, so
    // that an unreachable Redis is reported within 2 s.
    session(const std::string& url, const std::string& prefix, std::ostream& out,
            std::ostream& err);

    std::ostream& out;
    std::ostream& err;
    // Asks a yes/no question; unset: nobody to ask, so the answer is yes.
    std::function<bool(const std::string& question)> confirm;
    bool in_shell = false;

    const registry::options& registry() const noexcept { return options_; }
    // The registry's URL without its credentials, for messages.
    const std::string& url() const noexcept { return url_; }

    // The open connection, or nothing after printing why; then
    // connect_failure() is the exit status: unreachable, or usage when
    // Redis refused the credentials of --redis (an option to fix, not a
    // registry to wait for).
    registry::connection* connect();
    int connect_failure() const noexcept { return connect_failure_; }
    // The same without a word on failure (for completion, which must stay quiet).
    registry::connection* connect_quietly();
    // Prints "sky: <text>" and returns `code`.
    int fail(int code, const std::string& text);

    // The instances the filters match. On failure prints why and returns
    // nothing with `code` set: unreachable, failed, or no_match when nothing
    // matches the filters the user gave (`given`; a command may narrow them
    // further, to workers say, without that making an empty list an error).
    std::optional<std::vector<registry::instance>> find(const filters& f, int& code,
                                                        const filters& given);
    std::optional<std::vector<registry::instance>> find(const filters& f, int& code) {
        return find(f, code, f);
    }

private:
    std::string url_;
    registry::options options_;
    std::optional<registry::connection> connection_;
    int connect_failure_ = 0;
};

}  // namespace skynet::sky
