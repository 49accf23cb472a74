#include "options_check.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "skynet/bus/mmi.hpp"
#include "skynet/metrics/exposer.hpp"
#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::worker_detail {
namespace {

// Far above any real need: a thread per handler, and a credit the broker
// clamps to its own limit anyway. Beyond them is a typo, not a setting.
constexpr int max_concurrency = 4096;
constexpr std::uint32_t max_credit = 1u << 20;
constexpr auto max_interval = std::chrono::hours(24);

[[noreturn]] void refuse(const std::string& option, const std::string& value,
                         const std::string& why) {
    throw std::invalid_argument("worker: " + option + " = " + value + ": " + why);
}

std::string ms(std::chrono::milliseconds t) {
    return std::to_string(t.count()) + "ms";
}

void check_interval(const std::string& option, std::chrono::milliseconds t,
                    std::chrono::milliseconds least) {
    if (t < least || t > max_interval) {
        refuse(option, ms(t), "must be from " + ms(least) + " to 24h");
    }
}

void check_service(const worker_options& o) {
    const auto& s = o.service;
    if (s.empty() || s.find('@') != std::string::npos || bus::mmi::is_internal(s)) {
        refuse("service", "\"" + s + "\"",
               "a service name is non-empty, without '@', and does not start with 'mmi.'");
    }
    if (o.version.find('@') != std::string::npos) {
        refuse("version", "\"" + o.version + "\"", "a version has no '@'");
    }
}

// A chosen id goes into routing ids ("<id>/<n>/<n>") and key names.
void check_instance_id(const worker_options& o) {
    const auto& id = o.instance_id;
    bool printable = std::all_of(id.begin(), id.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > ' ' && u < 0x7F && c != '/';
    });
    if (id.size() > 128 || !printable) {
        refuse("instance_id", "\"" + id + "\"",
               "an instance id is 1-128 printable characters without '/' or space");
    }
}

void check_places(const worker_options& o) {
    if (o.brokers.empty() && o.redis.empty()) {
        refuse("brokers", "{}", "at least one broker endpoint is needed, or a redis URL");
    }
    for (const auto& endpoint : o.brokers) {
        runtime::check_endpoint("worker: brokers", endpoint);
    }
    if (!o.redis.empty()) {
        auto parsed = registry::options_from_url(o.redis, o.redis_prefix);
        if (!parsed) {
            refuse("redis", "\"" + o.redis + "\"", parsed.err().detail);
        }
    }
}

void check_sizes(const worker_options& o) {
    if (o.concurrency < 1 || o.concurrency > max_concurrency) {
        refuse("concurrency", std::to_string(o.concurrency),
               "must be from 1 to " + std::to_string(max_concurrency));
    }
    if (o.credit > max_credit) {
        refuse("credit", std::to_string(o.credit),
               "must be from 0 (the concurrency) to " + std::to_string(max_credit));
    }
    if (o.liveness < 1 || o.liveness > 100) {
        refuse("liveness", std::to_string(o.liveness), "must be from 1 to 100");
    }
}

}  // namespace

void check_options(const worker_options& o) {
    check_service(o);
    check_places(o);
    check_instance_id(o);
    check_sizes(o);
    check_interval("heartbeat", o.heartbeat, std::chrono::milliseconds(1));
    check_interval("reconnect_min", o.reconnect_min, std::chrono::milliseconds(1));
    check_interval("reconnect_max", o.reconnect_max, o.reconnect_min);
    check_interval("drain_timeout", o.drain_timeout, std::chrono::milliseconds(0));
    check_interval("stats_interval", o.stats_interval, std::chrono::milliseconds(1));
    check_interval("lease", o.lease, std::chrono::milliseconds(100));
    runtime::check_curve_client({o.curve_public_key, o.curve_secret_key, o.broker_key},
                                "worker_options");
    if (!o.metrics_listen.empty()) {
        metrics::parse_listen(o.metrics_listen);  // std::invalid_argument naming it
    }
}

}  // namespace skynet::worker_detail
