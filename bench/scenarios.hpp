#pragma once
// Every scenario skynet-bench knows, in the order it runs them.

#include <functional>
#include <string>
#include <vector>

#include "options.hpp"
#include "results.hpp"

namespace skynet::bench {

struct scenario {
    std::string name;
    std::string summary;
    // Needs our broker in this process (its CPU, its stats): skipped under --broker.
    bool needs_local_broker = false;
    std::function<scenario_result(const bench_options&)> run;
};

std::vector<scenario> all_scenarios();

// The composite call: fib(n) through the bus, each level calling the service
// again (fibonacci.cpp).
scenario_result run_fibonacci(const bench_options& options);

// Throughput with 10,000 services and 1,000 more workers registered, as a
// ratio to the same broker with one service (many_services.cpp).
scenario_result run_many_services(const bench_options& options);

// The time of a scrape of /metrics on a broker that knows --services
// services (metrics_scrape.cpp).
scenario_result run_metrics_scrape(const bench_options& options);

}  // namespace skynet::bench
