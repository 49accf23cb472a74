#pragma once
// skynet-bench --brokers-per-region N: calls per second with 1..N brokers in
// one region, found through the registry (brokers_per_region.cpp).

#include <iosfwd>

#include "options.hpp"

namespace skynet::bench {

// Prints the table to `out`; 0, or 1 if a row could not be measured.
int run_brokers_per_region(const bench_options& o, std::ostream& out);

}  // namespace skynet::bench
