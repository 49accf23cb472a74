#include "session.hpp"

#include <ostream>

#include "exit_codes.hpp"

namespace skynet::sky {

session::session(const std::string& url, const std::string& prefix, std::ostream& o,
                 std::ostream& e)
    : out(o), err(e), url_(url) {
    auto parsed = registry::options_from_url(url, prefix);
    if (!parsed) {
        throw usage_error("bad --redis URL " + url + ": " + parsed.err().detail);
    }
    options_ = std::move(parsed).value();
    url_ = options_.redis.to_string();  // what messages show: never the password
    options_.connect_timeout = std::chrono::milliseconds(1000);
    options_.command_timeout = std::chrono::milliseconds(1000);
}

registry::connection* session::connect() {
    if (connection_ && !connection_->broken()) {
        return &*connection_;
    }
    connection_.reset();
    auto opened = registry::connection::open(options_);
    if (!opened && opened.err().code == bus::errc::unauthorized) {
        connect_failure_ = fail(exit_code::usage,
                                "the registry at " + url_ +
                                    " refused the credentials of --redis: " + opened.err().detail);
        return nullptr;
    }
    if (!opened) {
        connect_failure_ = fail(exit_code::unreachable, "cannot reach the registry at " + url_ +
                                                            ": " + opened.err().detail);
        return nullptr;
    }
    connection_.emplace(std::move(opened).value());
    return &*connection_;
}

registry::connection* session::connect_quietly() {
    if (connection_ && !connection_->broken()) {
        return &*connection_;
    }
    connection_.reset();
    auto opened = registry::connection::open(options_);
    if (!opened) {
        return nullptr;
    }
    connection_.emplace(std::move(opened).value());
    return &*connection_;
}

int session::fail(int code, const std::string& text) {
    err << "sky: " << text << std::endl;
    return code;
}

std::optional<std::vector<registry::instance>> session::find(const filters& f, int& code,
                                                             const filters& given) {
    auto* c = connect();
    if (c == nullptr) {
        code = connect_failure_;
        return std::nullopt;
    }
    auto found = c->find(f.to_query());
    if (!found) {
        code = fail(exit_code::failed, "registry at " + url_ + ": " + found.err().detail);
        return std::nullopt;
    }
    if (found->empty() && !given.empty()) {
        code = fail(exit_code::no_match, "no instances match " + given.describe());
        return std::nullopt;
    }
    code = exit_code::ok;
    return std::move(found).value();
}

}  // namespace skynet::sky
