#pragma once
// Where a Redis Sentinel deployment's master is now (redis-sentinel:// URLs).
// Private to the registry: every connection asks again as it opens
// (redis_link::open), so that a failover is followed at the next reconnect.

#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry::detail {

// The sentinels of `deployment` in the order to ask them: the one that last
// answered anyone in this process first (Redis's guidelines for Sentinel
// clients), then the others in the URL's order. A silent sentinel (its host
// down) costs a timeout to every connection that asks it first: asked first
// forever, it would slow every reconnect of every registry object.
std::vector<redis_address> sentinels_in_order(const redis_url& deployment);
// Notes that `sentinel` of `deployment` answered: asked first from now on.
void sentinel_answered(const redis_url& deployment, const redis_address& sentinel);

// Asks the sentinels of `opts.redis`, in sentinels_in_order(), each within a
// short timeout, for the address of the master it names, and returns the
// first answer. unavailable, naming every sentinel and what it said, when none
// could tell (unreachable, or not monitoring a master of that name).
bus::result<redis_address> find_master(const options& opts);

}  // namespace skynet::registry::detail
