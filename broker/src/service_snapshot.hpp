#pragma once
// What the broker knows of its services at one moment, copied on the
// broker's thread (the only one that may walk its tables) for a scrape of
// /metrics or an mmi.service_stats answer. Allocates: never per message.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "service_cells.hpp"
#include "skynet/broker/broker_stats.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

class service_table;
class worker_pool;

struct service_snapshot {
    std::string name;
    std::uint64_t queued = 0;
    std::uint64_t workers = 0;
    std::uint64_t idle = 0;  // its workers holding no request
    std::uint64_t busy = 0;  // ...and holding some
    std::array<std::uint64_t, bus::errc_max + 1> outcomes{};
    metrics::duration_snapshot duration;
};

struct broker_snapshot {
    broker_stats stats;
    std::vector<service_snapshot> services;  // sorted by name
};

// Every service of `services`, with its workers' states from `workers`.
std::vector<service_snapshot> snapshot_services(const service_table& services,
                                                worker_pool& workers);

// The mmi.service_stats figures of a snapshot.
bus::mmi::service_figures figures_of(const service_snapshot& s);

}  // namespace skynet::broker_detail
