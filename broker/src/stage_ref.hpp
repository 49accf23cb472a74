#pragma once
// Where a peer's batch frame of this burst is being gathered (outbox): kept
// in the peer's own record, so that finding it costs nothing however many
// peers a burst reaches. Valid while `burst` is the outbox's current one.

#include <cstdint>

namespace skynet::broker_detail {

struct stage_ref {
    std::uint64_t burst = 0;  // 0: never staged
    std::uint32_t index = 0;
};

}  // namespace skynet::broker_detail
