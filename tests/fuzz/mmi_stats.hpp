#pragma once
// The broker's counters as any client reads them: the mmi.stats internal
// service (DESIGN.md), which works for a broker in another process, where
// broker::stats() cannot reach.

#include <cstdint>
#include <optional>

#include "skynet/client/client.hpp"

namespace skynet::testing {

struct stats_figures {
    std::uint64_t malformed = 0;
    std::uint64_t disconnects = 0;
    std::uint64_t unknown_service = 0;
    std::uint64_t workers_lost = 0;
    std::uint64_t queued = 0;
    std::uint64_t in_flight = 0;
    std::uint64_t workers = 0;
};

// Nothing if the broker did not answer "200" and a document within 2 s.
std::optional<stats_figures> read_stats(client& c);

}  // namespace skynet::testing
