#pragma once
// The slots of requests held by workers. Slots are reused (their frame
// vectors keep capacity) and never move, so lists may point at them.

#include <deque>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace skynet::broker_detail {

class inflight_table {
public:
    static constexpr std::size_t token_size = 8;

    // A free slot, marked in use with a new generation.
    inflight_request& acquire();
    // Frees a slot; its frames are released, their storage kept.
    void release(inflight_request& slot) noexcept;

    // The slot a token names, or nullptr if the token is malformed, names no
    // slot, or names a slot since reused (a stale reply).
    inflight_request* find(const zmq::message_t& token) noexcept;
    inflight_request* find(std::string_view token) noexcept;

    // The token of a slot: 4 bytes of index, 4 of generation.
    static zmq::message_t token_of(const inflight_request& slot);
    // The same bytes written into `out`, viewed.
    static std::string_view token_bytes(const inflight_request& slot,
                                        char (&out)[token_size]) noexcept;

    std::size_t in_use() const noexcept { return slots_.size() - free_.size(); }

private:
    std::deque<inflight_request> slots_;
    std::vector<std::uint32_t> free_;
};

}  // namespace skynet::broker_detail
