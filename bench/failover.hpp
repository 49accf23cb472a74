#pragma once
// skynet-bench --failover: the registry's master killed under load behind
// Redis Sentinel (failover.cpp).

#include <iosfwd>

#include "options.hpp"

namespace skynet::bench {

// Prints each run and the median and max to `out`; 0 once measured (calls
// lost or records missing are figures: printed, with the run's logs kept),
// 1 if a run could not be set up.
int run_failover(const bench_options& o, std::ostream& out);

}  // namespace skynet::bench
