#pragma once
// The output: a table for people, or JSON for machines; both end with what
// each scenario showed.

#include <iosfwd>

#include "results.hpp"

namespace skynet::bench {

// One scenario's rows, printed as soon as it has run.
void print_scenario(std::ostream& out, const scenario_result& s);
void print_table_header(std::ostream& out);
void print_memory(std::ostream& out, const std::vector<memory_figure>& figures);
// A line per scenario, quoting our run against its reference.
void print_summary(std::ostream& out, const report& r);
void print_json(std::ostream& out, const report& r);

}  // namespace skynet::bench
