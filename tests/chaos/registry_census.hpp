#pragma once
// The registry against the processes that run, for the chaos and cluster
// tests: each process counted once by kind and pid, and what differs said in
// a line a failing test can print.

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "skynet/registry/instance.hpp"
#include "skynet/registry/query.hpp"

namespace skynet::testing::chaos {

using process_key = std::pair<registry::instance_kind, std::int64_t>;  // kind, pid

// The records matching `filter` in the registry at `url`; empty, and the
// error on stderr, if it cannot be read.
std::vector<registry::instance> registry_records(const std::string& url,
                                                 const registry::query& filter = {});

// "live 8, registered 9, stale worker pid 12, missing broker pid 34": the
// counts, then what the registry lists that does not run, and what runs
// that it does not list.
std::string census_difference(const std::set<process_key>& live,
                              const std::set<process_key>& registered);

}  // namespace skynet::testing::chaos
