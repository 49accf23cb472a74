#pragma once
// The broker's counters as any client reads them: the mmi.stats internal
// service (docs/design.md), which works for a broker in another process, where
// broker::stats() cannot reach.

#include <optional>

#include "skynet/broker/broker.hpp"
#include "skynet/client/client.hpp"

namespace skynet::testing {

// Nothing if the broker did not answer "200" and a document within 2 s.
std::optional<broker_stats> read_broker_stats(client& c);

}  // namespace skynet::testing
