#include "skynet/registry/redis_url.hpp"

#include <charconv>
#include <optional>

namespace skynet::registry {

namespace {

using bus::errc;
using bus::error;
using bus::result;

constexpr std::string_view scheme = "redis://";
constexpr std::string_view sentinel_scheme = "redis-sentinel://";
constexpr int sentinel_port = 26379;

error bad_url(std::string_view text, std::string_view why) {
    return error{
        errc::bad_request,
        "bad redis URL \"" + std::string(text) + "\": " + std::string(why) +
            " (expected redis://[[user]:password@]host[:port][/db] or "
            "redis-sentinel://[[user]:password@]host[:port][,host[:port]...]/master[/db])"};
}

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Undoes %XX escapes, so that a password may hold '@', ':' or '/'.
bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) {
            return false;
        }
        int hi = hex_digit(in[i + 1]);
        int lo = hex_digit(in[i + 2]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

bool parse_int(std::string_view text, int low, int high, int& out) {
    if (text.empty()) {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out >= low && out <= high;
}

// "[user]:password" before the '@'.
bool parse_credentials(std::string_view text, redis_url& url) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return false;  // "password@" alone is ambiguous with a user name: refuse
    }
    return percent_decode(text.substr(0, colon), url.user) &&
           percent_decode(text.substr(colon + 1), url.password);
}

// "host[:port]" or "[v6]:port"; the host text is kept, the port checked.
std::string_view split_host(std::string_view text, std::string_view& port) {
    port = {};
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos) {
            return {};
        }
        auto rest = text.substr(close + 1);
        port = rest.starts_with(":") ? rest.substr(1) : rest;
        return text.substr(1, close - 1);
    }
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return text;
    }
    port = text.substr(colon + 1);
    return text.substr(0, colon);
}

// "host[:port]" into `out`, the port `default_port` when not given.
std::optional<std::string_view> parse_address(std::string_view text, int default_port,
                                              redis_address& out) {
    std::string_view port;
    auto host = split_host(text, port);
    if (host.empty()) {
        return "the host is missing";
    }
    out.host.assign(host);
    out.port = default_port;
    if (!port.empty() && !parse_int(port, 1, 65535, out.port)) {
        return "the port must be a number from 1 to 65535";
    }
    return std::nullopt;
}

// The sentinels' "h:p,h:p" and "/master[/db]" after them.
std::optional<std::string_view> parse_sentinel_part(std::string_view authority,
                                                    std::string_view path, redis_url& url) {
    while (true) {
        auto comma = authority.find(',');
        auto& sentinel = url.sentinels.emplace_back();
        if (auto wrong = parse_address(authority.substr(0, comma), sentinel_port, sentinel)) {
            return wrong;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        authority = authority.substr(comma + 1);
    }
    auto slash = path.find('/');
    url.master_name.assign(path.substr(0, slash));
    if (url.master_name.empty()) {
        return "the master's name is missing (after the sentinels, as /name)";
    }
    auto db = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (!db.empty() && !parse_int(db, 0, 1 << 20, url.db)) {
        return "the database must be a number";
    }
    return std::nullopt;
}

result<redis_url> parse(std::string_view text) {
    const bool sentinel = text.starts_with(sentinel_scheme);
    if (!sentinel && !text.starts_with(scheme)) {
        return bad_url(text, "it must start with redis:// or redis-sentinel://");
    }
    auto rest = text.substr(sentinel ? sentinel_scheme.size() : scheme.size());
    if (rest.find_first_of("?# \t\r\n") != std::string_view::npos) {
        return bad_url(text, "query strings, fragments and spaces are not supported");
    }
    redis_url url;
    auto at = rest.rfind('@');
    if (at != std::string_view::npos) {
        if (!parse_credentials(rest.substr(0, at), url)) {
            return bad_url(text, "credentials must be [user]:password, %-encoded");
        }
        rest = rest.substr(at + 1);
    }
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    auto path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (sentinel) {
        if (auto wrong = parse_sentinel_part(authority, path, url)) {
            return bad_url(text, *wrong);
        }
        return url;
    }
    if (!path.empty() && !parse_int(path, 0, 1 << 20, url.db)) {
        return bad_url(text, "the database must be a number");
    }
    redis_address address;
    if (auto wrong = parse_address(authority, url.port, address)) {
        return bad_url(text, *wrong);
    }
    url.host = std::move(address.host);
    url.port = address.port;
    return url;
}

}  // namespace

std::string redis_address::to_string() const {
    bool v6 = host.find(':') != std::string::npos;
    std::string out;
    out.append(v6 ? "[" : "").append(host).append(v6 ? "]" : "");
    return out.append(":").append(std::to_string(port));
}

std::string redis_url::to_string() const {
    std::string out;
    if (via_sentinel()) {
        out.append(sentinel_scheme);
        for (const auto& sentinel : sentinels) {
            out.append(&sentinel == &sentinels.front() ? "" : ",").append(sentinel.to_string());
        }
        out.append("/").append(master_name);
    } else {
        out.append(scheme).append(redis_address{host, port}.to_string());
    }
    if (db != 0) {
        out.append("/").append(std::to_string(db));
    }
    return out;
}

result<redis_url> parse_redis_url(std::string_view text) noexcept {
    try {
        return parse(text);
    } catch (const std::exception&) {
        return error{errc::bad_request, "bad redis URL: out of memory parsing it"};
    }
}

result<options> options_from_url(std::string_view url, std::string prefix) {
    auto parsed = parse_redis_url(url);
    if (!parsed) {
        return std::move(parsed).err();
    }
    options opts;
    opts.redis = std::move(parsed.value());
    opts.prefix = std::move(prefix);
    return opts;
}

}  // namespace skynet::registry
