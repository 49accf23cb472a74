#pragma once
// What the brokers say about each service: requests queued, workers idle and
// busy, summed over every broker that serves it. Read through the brokers'
// `mmi.service_stats` (bus/mmi.hpp, the metrics helper's codec).

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "skynet/registry/instance.hpp"

namespace skynet::web {

struct service_load {
    std::uint64_t queued = 0, workers = 0, idle = 0, busy = 0;
};

// Service name -> its load over `brokers` (kind broker records). A broker
// that does not answer within `timeout` counts for nothing. Blocks up to
// about `timeout`; call it off the model's lock.
std::map<std::string, service_load> read_broker_loads(
    const std::vector<registry::instance>& brokers, std::chrono::milliseconds timeout);

}  // namespace skynet::web
