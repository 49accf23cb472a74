#include "check_options.hpp"

#include <stdexcept>
#include <string>

#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::client_detail {

namespace {

[[noreturn]] void refuse(std::string_view option, const std::string& value, std::string_view why) {
    throw std::invalid_argument("client_options." + std::string(option) + ": " + value + " " +
                                std::string(why));
}

std::string in_quotes(std::string_view s) {
    // Appended, not "\"" + s + "\"": GCC 12 warns falsely (-Wrestrict) on that.
    std::string quoted;
    quoted.reserve(s.size() + 2);
    quoted.append(1, '"').append(s).append(1, '"');
    return quoted;
}

std::string in_ms(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + " ms";
}

void check_durations(const client_options& o) {
    if (o.heartbeat.count() <= 0) {
        refuse("heartbeat", in_ms(o.heartbeat), "is not positive");
    }
    if (o.liveness < 1) {
        refuse("liveness", std::to_string(o.liveness), "is not 1 or more");
    }
    if (o.unknown_service_wait.count() < 0) {
        refuse("unknown_service_wait", in_ms(o.unknown_service_wait), "is negative");
    }
    if (o.default_timeout.count() <= 0) {
        refuse("default_timeout", in_ms(o.default_timeout), "is not positive");
    }
}

void check_limits(const client_options& o) {
    if (o.max_message_size == 0) {
        refuse("max_message_size", "0", "leaves no room for any request");
    }
    // NaN fails both comparisons.
    if (!(o.retry_budget >= 0)) {
        refuse("retry_budget", std::to_string(o.retry_budget), "is not 0 or more");
    }
    if (!(o.retry_refill >= 0)) {
        refuse("retry_refill", std::to_string(o.retry_refill), "is not 0 or more");
    }
}

void check_registry(const client_options& o) {
    if (o.brokers.empty() && o.redis.empty()) {
        refuse("brokers", "(none)", "and no redis: give broker endpoints or a registry URL");
    }
    if (!o.brokers.empty()) {
        return;  // the registry is not used
    }
    auto url = registry::parse_redis_url(o.redis);
    if (!url) {
        refuse("redis", in_quotes(o.redis), "is not a registry URL: " + url.err().detail);
    }
    if (o.redis_prefix.empty()) {
        refuse("redis_prefix", in_quotes(o.redis_prefix), "is empty");
    }
    if (o.region.empty()) {
        refuse("region", in_quotes(o.region), "is empty");
    }
}

}  // namespace

void check_options(const client_options& options) {
    runtime::check_curve_client(
        {options.curve_public_key, options.curve_secret_key, options.broker_key}, "client_options");
    for (const auto& endpoint : options.brokers) {
        runtime::check_endpoint("client_options.brokers", endpoint);
    }
    if (options.name.empty()) {
        refuse("name", in_quotes(options.name), "is empty");
    }
    check_durations(options);
    check_limits(options);
    check_registry(options);
}

}  // namespace skynet::client_detail
