#pragma once
// A Python worker (python/tests/worker_fixture.py, service "pyfixture") as a
// child process of a test, behind a broker the test runs.

#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace skynet::testing {

// Starts /usr/bin/python3 worker_fixture.py --broker `endpoint` with a
// 100 ms heartbeat and `extra` arguments (--credit N, --concurrency N, ...).
std::unique_ptr<child_process> start_python_worker(const std::string& endpoint,
                                                   std::vector<std::string> extra = {});

}  // namespace skynet::testing
