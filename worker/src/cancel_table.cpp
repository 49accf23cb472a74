#include "cancel_table.hpp"

#include <cstring>
#include <functional>

namespace skynet::worker_detail {

std::uint64_t cancel_table::key_of(std::string_view address) noexcept {
    std::uint64_t key = 0;
    if (address.size() == sizeof key) {
        std::memcpy(&key, address.data(), sizeof key);
        return key;
    }
    return std::hash<std::string_view>{}(address);
}

std::uint32_t cancel_table::open(std::uint32_t connection, std::uint32_t epoch, std::uint64_t key) {
    std::uint32_t index = 0;
    if (free_.empty()) {
        index = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
        free_.reserve(slots_.size());  // close() then never allocates
    } else {
        index = free_.back();
        free_.pop_back();
    }
    auto& slot = slots_[index];
    slot.key = key;
    slot.connection = connection;
    slot.epoch = epoch;
    slot.open = true;
    ++open_count_;
    return index;
}

void cancel_table::close(std::uint32_t index) noexcept {
    auto& slot = slots_[index];
    const auto generation = (slot.state.load(std::memory_order_relaxed) >> 1) + 1;
    slot.state.store(generation << 1, std::memory_order_release);
    slot.open = false;
    --open_count_;
    free_.push_back(index);
}

bool cancel_table::cancel(std::uint32_t connection, std::uint32_t epoch,
                          std::uint64_t key) noexcept {
    if (open_count_ == 0) {
        return false;
    }
    for (auto& slot : slots_) {
        if (slot.open && slot.key == key && slot.connection == connection && slot.epoch == epoch) {
            slot.state.fetch_or(1, std::memory_order_release);
            return true;
        }
    }
    return false;
}

}  // namespace skynet::worker_detail
