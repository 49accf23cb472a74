#include "call_table.hpp"

#include <charconv>

namespace skynet::client_detail {

pending_call& call_table::acquire() {
    pending_call* call = nullptr;
    if (!free_.empty()) {
        call = &slots_[free_.back()];
        free_.pop_back();
    } else {
        call = &slots_.emplace_back();
        call->index = static_cast<std::uint32_t>(slots_.size() - 1);
        free_.reserve(slots_.size());  // so that release() never allocates
    }
    ++call->generation;
    call->in_use = true;
    return *call;
}

void call_table::release(pending_call& call) noexcept {
    const auto index = call.index;
    const auto generation = call.generation;
    call = pending_call{};  // drops strings, frames and the callback
    call.index = index;
    call.generation = generation;
    free_.push_back(index);
}

pending_call* call_table::find(std::uint32_t index, std::uint32_t generation) noexcept {
    if (index >= slots_.size()) {
        return nullptr;
    }
    auto& call = slots_[index];
    return call.in_use && call.generation == generation ? &call : nullptr;
}

pending_call* call_table::find_by_id(std::string_view id) noexcept {
    if (id.size() != id_size) {
        return nullptr;
    }
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
    auto first = std::from_chars(id.data(), id.data() + 8, index, 16);
    auto second = std::from_chars(id.data() + 8, id.data() + 16, generation, 16);
    if (first.ptr != id.data() + 8 || second.ptr != id.data() + 16) {
        return nullptr;
    }
    return find(index, generation);
}

std::string_view call_table::format_id(const pending_call& call, char (&out)[id_size]) noexcept {
    static constexpr char digits[] = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) {
        out[i] = digits[(call.index >> (28 - 4 * i)) & 0xf];
        out[8 + i] = digits[(call.generation >> (28 - 4 * i)) & 0xf];
    }
    return std::string_view(out, id_size);
}

}  // namespace skynet::client_detail
