#include "inflight_table.hpp"

#include <cstring>

namespace skynet::broker_detail {

inflight_request& inflight_table::acquire() {
    inflight_request* slot = nullptr;
    if (!free_.empty()) {
        slot = &slots_[free_.back()];
        free_.pop_back();
    } else {
        slot = &slots_.emplace_back();
        slot->index = static_cast<std::uint32_t>(slots_.size() - 1);
        free_.reserve(slots_.size());  // so that release() never allocates
    }
    ++slot->generation;
    slot->in_use = true;
    return *slot;
}

void inflight_table::release(inflight_request& slot) noexcept {
    slot.in_use = false;
    slot.worker = nullptr;
    slot.requested = nullptr;
    slot.terms = request_terms{};  // gives the client's share back, if still held
    slot.body.clear();
    slot.batch.rebuild();  // lets go of the client's batch frame
    slot.record_offset = slot.record_size = 0;
    slot.client_batches = false;
    free_.push_back(slot.index);
}

inflight_request* inflight_table::find(const zmq::message_t& token) noexcept {
    return find(bus::view_of(token));
}

inflight_request* inflight_table::find(std::string_view token) noexcept {
    if (token.size() != token_size) {
        return nullptr;
    }
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
    std::memcpy(&index, token.data(), 4);
    std::memcpy(&generation, token.data() + 4, 4);
    if (index >= slots_.size()) {
        return nullptr;
    }
    auto& slot = slots_[index];
    return slot.in_use && slot.generation == generation ? &slot : nullptr;
}

zmq::message_t inflight_table::token_of(const inflight_request& slot) {
    char bytes[token_size];
    return zmq::message_t(token_bytes(slot, bytes).data(), token_size);
}

std::string_view inflight_table::token_bytes(const inflight_request& slot,
                                             char (&out)[token_size]) noexcept {
    std::memcpy(out, &slot.index, 4);
    std::memcpy(out + 4, &slot.generation, 4);
    return {out, token_size};
}

}  // namespace skynet::broker_detail
