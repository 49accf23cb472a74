#pragma once
// The Redis hash of one instance: field/value pairs of text, encoded by the
// owner and decoded by anyone who reads the registry.
//
// decode_instance reads bytes anyone could have written into Redis, so it
// never throws or crashes on them: garbage is an error, and unknown fields are
// ignored, so that newer writers may add some.

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/instance.hpp"

namespace skynet::registry {

using field_pair = std::pair<std::string, std::string>;
using field_view = std::pair<std::string_view, std::string_view>;

// Field names in the hash. Numbers are decimal text, `registered` is "1" or
// "0", `methods` and `services` are comma-separated.
namespace field {
inline constexpr std::string_view id = "id";
inline constexpr std::string_view kind = "kind";
inline constexpr std::string_view service = "service";
inline constexpr std::string_view version = "version";
inline constexpr std::string_view region = "region";
inline constexpr std::string_view host = "host";
inline constexpr std::string_view pid = "pid";
inline constexpr std::string_view endpoint = "endpoint";
inline constexpr std::string_view broker = "broker";
inline constexpr std::string_view registered = "registered";
inline constexpr std::string_view draining = "draining";
inline constexpr std::string_view started_at = "started_at";
inline constexpr std::string_view updated_at = "updated_at";
inline constexpr std::string_view methods = "methods";
inline constexpr std::string_view services = "services";
inline constexpr std::string_view requests = "requests";
inline constexpr std::string_view errors = "errors";
inline constexpr std::string_view latency_avg_us = "latency_avg_us";
inline constexpr std::string_view latency_p99_us = "latency_p99_us";
inline constexpr std::string_view latency_p50_us = "latency_p50_us";
inline constexpr std::string_view latency_p95_us = "latency_p95_us";
inline constexpr std::string_view last_error = "last_error";
inline constexpr std::string_view last_request_at = "last_request_at";
inline constexpr std::string_view clients = "clients";
inline constexpr std::string_view managed_by = "managed_by";
inline constexpr std::string_view curve_key = "curve_key";
inline constexpr std::string_view cpu_percent = "cpu_percent";
inline constexpr std::string_view cpus = "cpus";
inline constexpr std::string_view memory_total = "memory_total";
inline constexpr std::string_view memory_available = "memory_available";
inline constexpr std::string_view load1 = "load1";
inline constexpr std::string_view load5 = "load5";
inline constexpr std::string_view load15 = "load15";
inline constexpr std::string_view uptime_s = "uptime_s";
inline constexpr std::string_view load_queued = "load_queued";
inline constexpr std::string_view load_in_flight = "load_in_flight";
inline constexpr std::string_view load_cpu_percent = "load_cpu_percent";
}  // namespace field

// Every field of `record`, in a fixed order. A method name holding ',' is
// dropped (it could not be told apart from two names). `managed_by` and
// `curve_key` are written only when set, the host figures only for
// daemons and the load figures only for brokers, so that the records of unmanaged workers and
// brokers stay as they were; `draining` likewise only when true (a missing one reads as false).
std::vector<field_pair> encode_instance(const instance& record);

// The record these pairs describe. `id` and `kind` are required and must be
// valid; every number present must be a whole decimal number in range;
// `registered` and `draining` must be "1" or "0" (or "true"/"false"). Returns bad_request
// naming the first bad field. Never throws.
bus::result<instance> decode_instance(std::span<const field_view> fields) noexcept;

}  // namespace skynet::registry
