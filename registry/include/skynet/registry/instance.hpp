#pragma once
// One live process in the registry (docs/design.md "Registry in Redis"): a broker,
// a worker or a host daemon, with what tools show about it and the figures it
// publishes. Plain values: copy them, compare them, keep them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skynet::registry {

enum class instance_kind : std::uint8_t { broker, worker, daemon };

// The wire spelling: "broker", "worker", "daemon".
std::string_view to_string(instance_kind kind) noexcept;
// The kind with this spelling, or nothing.
std::optional<instance_kind> kind_from_string(std::string_view text) noexcept;

// What a worker publishes every few seconds. Times are wall-clock
// milliseconds since the Unix epoch (0: never), so that any host can read
// them; latencies are microseconds of handling time.
struct instance_stats {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::uint64_t latency_avg_us = 0;
    std::uint64_t latency_p99_us = 0;
    std::int64_t last_request_at = 0;
    std::uint64_t clients = 0;
    std::uint64_t latency_p50_us = 0;
    std::uint64_t latency_p95_us = 0;
    // "CODE: detail" of the last failed call; empty if none failed.
    std::string last_error = {};

    friend bool operator==(const instance_stats&, const instance_stats&) = default;
};

// What a host daemon publishes about its host every few seconds (absent
// fields read as 0). Load averages are hundredths (load1 = 150 is 1.50), so
// that the record stays whole numbers and compares exactly.
struct host_figures_record {
    std::uint64_t cpu_percent = 0;  // busy CPU over the last sample, 0-100 per host
    std::uint64_t cpus = 0;
    std::uint64_t memory_total = 0;      // bytes
    std::uint64_t memory_available = 0;  // bytes
    std::uint64_t load1 = 0;             // hundredths
    std::uint64_t load5 = 0;
    std::uint64_t load15 = 0;
    std::uint64_t uptime_s = 0;

    friend bool operator==(const host_figures_record&, const host_figures_record&) = default;
};

// What a broker publishes about its load, about once a second and only when
// it changed (absent fields read as 0), so that clients that discover their
// brokers send fewer calls to a busy one (docs/design.md "Clients and
// workers that discover brokers").
struct broker_load_record {
    std::uint64_t queued = 0;     // requests waiting for a worker, every service
    std::uint64_t in_flight = 0;  // requests held by workers
    // The broker process's CPU over the last interval, percent of one core
    // (a loop and ZeroMQ's I/O threads may pass 100).
    std::uint64_t cpu_percent = 0;

    friend bool operator==(const broker_load_record&, const broker_load_record&) = default;
};

struct instance {
    std::string id;  // unique in the registry, never empty
    instance_kind kind = instance_kind::worker;
    std::string service;  // a worker's service name, without "@version"
    std::string version;  // a worker's version; may be empty
    std::string region;
    std::string host;
    std::int64_t pid = 0;
    std::string endpoint;    // where a broker listens; empty for workers
    std::string broker;      // the broker endpoint(s) a worker is on
    bool registered = true;  // false: alive but not taking new work
    // True once the process began its graceful stop: it takes no new work,
    // finishes what it holds, then leaves. Older records lack it: false.
    bool draining = false;
    std::int64_t started_at = 0;       // wall-clock ms since the epoch
    std::int64_t updated_at = 0;       // wall-clock ms of the last change of content
    std::vector<std::string> methods;  // what a worker serves; no ',' in a name
    // What a broker has workers for ("name" and "name@version"), so that
    // clients find the brokers of a service.
    std::vector<std::string> services;
    instance_stats stats;
    // The host daemon (its instance id) that started this process and brings
    // it back; empty: not managed.
    std::string managed_by;
    // A broker's CURVE public key (Z85), published so that discovery finds
    // CURVE brokers; clients still connect only to the key they were given
    // (issue #17). Empty: a plain broker.
    std::string curve_key;
    host_figures_record host_figures;  // daemons only; zero for others
    broker_load_record load;           // brokers only; zero for others

    friend bool operator==(const instance&, const instance&) = default;
};

// A fresh id, unique across hosts and restarts: "<kind>-<host>-<pid>-<random hex>".
std::string make_instance_id(instance_kind kind, std::string_view host);

// Wall-clock milliseconds since the Unix epoch: the unit of every *_at field.
std::int64_t wall_clock_ms() noexcept;

}  // namespace skynet::registry
