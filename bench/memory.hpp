#pragma once
// Memory figures of our broker binary (skynet-broker as a child process):
// idle, with N connected clients (against a bare ROUTER holding as many), with
// M workers, and with Q queued requests.

#include <vector>

#include "options.hpp"
#include "results.hpp"

namespace skynet::bench {

std::vector<memory_figure> measure_memory(const bench_options& options);

}  // namespace skynet::bench
