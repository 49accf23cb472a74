#pragma once
// The echo worker the tests share: "Echo" answers a request's params, and a
// raw echo answers a plain MDP request with its own frames.

#include <cstdint>
#include <memory>
#include <string>

#include "skynet/worker/worker.hpp"

namespace skynet::testing {

// Adds "Echo" to `w` (before start()).
void handle_echo(worker& w, run_on where = run_on::io_thread);

// Starts a worker with `options` and "Echo" only.
std::unique_ptr<worker> start_echo_worker(const worker_options& options,
                                          run_on where = run_on::io_thread);

// Starts a worker of `service` on `broker`, with short heartbeats
// (fast_worker_options), credit `credit` (0: as many as its concurrency),
// and "Echo" only.
std::unique_ptr<worker> start_echo_worker(const std::string& broker,
                                          const std::string& service = "echo",
                                          std::uint32_t credit = 0);

// Starts a worker of `service` whose raw handler answers any request that
// is not our envelope with a copy of its body frames.
std::unique_ptr<worker> start_raw_echo_worker(const std::string& broker,
                                              const std::string& service = "echo");

}  // namespace skynet::testing
