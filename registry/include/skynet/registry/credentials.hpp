#pragma once
// A check a process makes once, at start, of the credentials in its Redis URL.

#include <string_view>

#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

// Throws std::invalid_argument, naming `who`, the Redis and its answer, when
// that Redis is reachable and refuses the URL's user and password (WRONGPASS,
// NOAUTH). A wrong password never heals by retrying, so a process says so
// once at start and stops, rather than retrying in the background forever.
// A Redis that cannot be reached is no error here: the registry's threads
// keep trying, and the data path never waits for them. Without a password
// in the URL this checks nothing and costs nothing.
void refuse_wrong_credentials(const options& settings, std::string_view who);

}  // namespace skynet::registry
