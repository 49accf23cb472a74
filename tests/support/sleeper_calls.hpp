#pragma once
// Calls to sleeper-service's Sleep, which answers {} after `ms`: the call a
// test holds in flight to see what a process does while it still has work
// (draining, stopping, handing its clients over).

#include <chrono>
#include <cstdint>
#include <future>

#include "skynet/client/client.hpp"

namespace skynet::testing {

// "sleeper" Sleep {ms} through `c`, ended by `timeout` at the latest.
call_result call_sleeper(client& c, std::int64_t ms, std::chrono::milliseconds timeout);

// call_sleeper on a thread of its own, returned once the broker `c` talks to
// holds it (its mmi.stats count one request in flight). Throws
// std::runtime_error if the broker never does, within a generous wait.
std::future<call_result> hold_sleeper_call(client& c, std::int64_t ms,
                                           std::chrono::milliseconds timeout);

}  // namespace skynet::testing
