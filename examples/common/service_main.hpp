#pragma once
// What every example service's main() does the same way: the options a
// worker takes, and serving until SIGINT or SIGTERM.

#include <functional>
#include <string>

#include "skynet/runtime/options.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::examples {

// Adds --broker (repeatable), --version, --concurrency, --credit and --heartbeat-ms.
void add_worker_options(runtime::option_parser& parser, int default_concurrency);

// The worker options the parsed command line asks for.
worker_options worker_options_from(const runtime::option_parser& parser, std::string service);

// runtime::serve() of a worker: blocks SIGINT and SIGTERM, builds the
// worker, lets `setup` register its handlers, and serves until a signal asks
// for a graceful stop. Returns the process exit status.
int serve(worker_options options, const std::function<void(worker&)>& setup);

}  // namespace skynet::examples
