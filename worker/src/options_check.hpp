#pragma once
// The worker's options, checked in its constructor: a misuse caught there
// throws naming the option, instead of failing later on a background thread.

#include "skynet/worker/worker.hpp"

namespace skynet::worker_detail {

// Throws std::invalid_argument naming the option and its value.
void check_options(const worker_options& options);

}  // namespace skynet::worker_detail
