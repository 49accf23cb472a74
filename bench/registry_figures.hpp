#pragma once
// Registry figures (issue 7): a Query over 10,000 instances, and the time
// from a change to a listener's callback, against a redis-server of its own.

#include <string>
#include <vector>

#include "options.hpp"

namespace skynet::bench {

// One line per figure, or one saying why they were skipped.
std::vector<std::string> measure_registry(const bench_options& o);

}  // namespace skynet::bench
