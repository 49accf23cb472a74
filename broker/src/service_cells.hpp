#pragma once
// One service's outcome counts and dispatch-to-reply durations, kept in its
// entry of the service table. Written by the broker's thread only, read by
// it too (service_snapshot.hpp, at a scrape or an mmi.service_stats): a
// counter bump and a histogram cell bump per reply, no lock, no allocation.

#include <array>
#include <cstdint>

#include "skynet/bus/errc.hpp"
#include "skynet/metrics/duration_histogram.hpp"

namespace skynet::broker_detail {

struct service_cells {
    // By wire code: OK and each error code.
    std::array<std::uint64_t, bus::errc_max + 1> outcomes{};
    metrics::duration_histogram duration;

    void count(bus::errc code) noexcept { ++outcomes[static_cast<std::size_t>(code)]; }
};

}  // namespace skynet::broker_detail
