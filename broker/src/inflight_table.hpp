#pragma once
// The slots of requests held by workers: a runtime::slot_table whose
// released slots keep their frame vectors' capacity. A slot's token is the
// REQUEST's client address (docs/design.md: 8 bytes, index and generation),
// so that a reply finds its request in O(1) and a stale or forged one is
// recognised.

#include <string_view>

#include "model.hpp"
#include "skynet/runtime/slot_table.hpp"

namespace skynet::broker_detail {

// Frees what a released slot holds; its frames' storage is kept.
struct clear_inflight {
    void operator()(inflight_request& slot) const noexcept {
        slot.worker = nullptr;
        slot.requested = nullptr;
        slot.terms = request_terms{};  // gives the client's share back, if still held
        slot.body.clear();
        slot.batch.rebuild();  // lets go of the client's batch frame
        slot.record_offset = slot.record_size = 0;
        slot.client_batches = false;
    }
};

using inflight_table = runtime::slot_table<inflight_request, clear_inflight>;

// The slot a worker's token names, or nullptr if the token is malformed,
// names no slot, or names a slot since reused (a stale reply).
inline inflight_request* find_inflight(inflight_table& table, std::string_view token) noexcept {
    const auto t = runtime::slot_token::from_bytes(token);
    return t ? table.find(*t) : nullptr;
}

// A slot's token as a frame of its own.
inline zmq::message_t token_frame(const inflight_request& slot) {
    char bytes[runtime::slot_token::byte_size];
    const auto token = slot.token().to_bytes(bytes);
    return zmq::message_t(token.data(), token.size());
}

}  // namespace skynet::broker_detail
