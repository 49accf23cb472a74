#pragma once
// skynet-bench's command line.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace skynet::bench {

// The roles skynet-bench takes when it runs itself as a child process, so that
// the peers of a memory figure live outside the process being measured.
struct child_options {
    std::string role;      // clients, workers, router, flood; empty: not a child
    std::string endpoint;  // where to connect
    int count = 0;         // sockets (or queued requests, for flood)
    std::string service;   // the one service of every worker; empty: prefix-<index>
    std::string prefix = "idle";
    int first = 0;                                 // index of the first service name
    std::chrono::milliseconds heartbeat_ms{2500};  // workers' heartbeat interval
    // echo-workers: `endpoint` is the registry's URL, `count` the workers,
    // each serving on every broker of `region`; "ready" once each is on `brokers`.
    std::string region;
    int brokers = 1;
};

struct bench_options {
    std::string broker;   // an already running MDP broker; empty: ours, in-process
    std::string service;  // a service already served there; empty: our echo worker
    // With `service`: call it through skynet::client (method "echo", params
    // {data}), as our workers of another language are called; else plain 7/MDP.
    bool envelope = false;
    std::uint64_t requests = 0;  // per run; 0: run for `seconds`
    int inflight = 1000;         // asynchronous calls kept in flight
    std::size_t size = 100;      // payload bytes of the scenarios that do not set their own
    bool idempotent = false;
    double seconds = 2.0;  // per run
    int repeat = 1;        // runs of each scenario; the median ratio is quoted
    bool json = false;
    std::string scenario;  // only the scenarios whose name contains this
    bool quick = false;    // short runs and peer counts scaled down tenfold
    bool list = false;
    std::string broker_binary;  // skynet-broker, for the memory figures

    // Peer counts of the scale and memory figures (docs/design.md targets: 10,000 and 1,000).
    int clients = 10000;
    int workers = 1000;
    int services = 10000;
    int queued = 100000;
    int fibonacci_n = 20;

    // The registry figures of issue 19, run instead of the scenarios when asked:
    // calls per second with 1..brokers_per_region brokers in one region (0: not
    // asked), and the registry's failover behind Redis Sentinel.
    int brokers_per_region = 0;
    bool failover = false;

    child_options child;
};

// Parses argv; --help and bad options exit the process (runtime::option_parser).
bench_options parse_options(int argc, char** argv);

}  // namespace skynet::bench
