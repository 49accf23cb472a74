#pragma once
// The slots of requests held by workers: a runtime::slot_table whose
// released slots keep their frame vectors' capacity. A slot's token is the
// REQUEST's client address (docs/design.md: 8 bytes, index and generation),
// so that a reply finds its request in O(1) and a stale or forged one is
// recognised.

#include <string_view>

#include "inflight_request.hpp"
#include "skynet/runtime/slot_table.hpp"

namespace skynet::broker_detail {

// Frees what a released slot holds; its frame vector's storage is kept.
struct clear_inflight {
    void operator()(inflight_request& slot) const noexcept {
        slot.worker = nullptr;
        slot.requested = nullptr;
        slot.cancelled = false;
        slot.terms = request_terms{};  // gives the client's share back, if still held
        slot.message.clear();          // lets go of the client's frames; keeps capacity
    }
};

using inflight_table = runtime::slot_table<inflight_request, clear_inflight>;

// The slot a worker's token names, or nullptr if the token is malformed,
// names no slot, or names a slot since reused (a stale reply).
inline inflight_request* find_inflight(inflight_table& table, std::string_view token) noexcept {
    const auto t = runtime::slot_token::from_bytes(token);
    return t ? table.find(*t) : nullptr;
}

}  // namespace skynet::broker_detail
