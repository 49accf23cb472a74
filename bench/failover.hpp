#pragma once
// skynet-bench --failover: the registry's master killed under load behind
// Redis Sentinel (failover.cpp).

#include <iosfwd>

#include "options.hpp"

namespace skynet::bench {

// Prints each run and the median and max to `out`; 0 once a run was
// measured (calls lost, records missing and runs that could not be measured
// are printed, with the run's logs kept), 1 if none was.
int run_failover(const bench_options& o, std::ostream& out);

}  // namespace skynet::bench
