#pragma once
// skynet-bench --child ROLE: see child_roles.cpp.

#include "options.hpp"

namespace skynet::bench {

// Runs one child role until the parent closes our stdin. Returns the exit status.
int run_child(const child_options& options);

// --child echo-workers (echo_child.cpp): `count` echo workers registered in
// the registry at `endpoint`, serving on every broker of `region`.
int run_echo_workers(const child_options& options);

}  // namespace skynet::bench
