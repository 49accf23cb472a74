#pragma once
// How sky shows one instance: as words for tables and trees, and as JSON.

#include <nlohmann/json.hpp>
#include <string>

#include "skynet/registry/instance.hpp"

namespace skynet::sky {

// "fibonacci@1.0", "fibonacci" without a version, "-" for none (a broker).
std::string release_of(const registry::instance& r);
// "draining" once it began its graceful stop, else "registered" or "unregistered".
std::string state_of(const registry::instance& r);
// Microseconds for people: "850us", "1.2ms", "3.40s".
std::string latency_text(std::uint64_t us);
// A wall-clock time in ms as an age: "never", "4s ago", "3m ago".
std::string age_text(std::int64_t at_ms, std::int64_t now_ms);
// "requests=10 errors=0 avg=1.2ms p99=3.4ms last=2s ago".
std::string stats_text(const registry::instance& r, std::int64_t now_ms);

// Every field of the record, with the names the registry uses.
nlohmann::json to_json(const registry::instance& r);

}  // namespace skynet::sky
