#pragma once
// Where a Redis Sentinel deployment's master is now (redis-sentinel:// URLs).
// Private to the registry: every connection asks again as it opens
// (redis_link::open), so that a failover is followed at the next reconnect.

#include "skynet/bus/result.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry::detail {

// Asks the sentinels of `opts.redis`, in their order, each within a short
// timeout, for the address of the master it names, and returns the first
// answer. unavailable, naming every sentinel and what it said, when none
// could tell (unreachable, or not monitoring a master of that name).
bus::result<redis_address> find_master(const options& opts);

}  // namespace skynet::registry::detail
