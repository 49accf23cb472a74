#pragma once
// A table of slots that never move, each named by a token (index and
// generation): insert, find and erase in O(1), and a token kept past its
// slot's release (a late reply, a forged one) names nothing, since the
// slot's next use has another generation. Single-threaded, like the loop
// that owns it.

#include <concepts>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

namespace skynet::runtime {

struct slot_token {
    std::uint32_t index = 0;
    std::uint32_t generation = 0;  // 0 names no slot: a slot's first use is 1

    friend bool operator==(const slot_token&, const slot_token&) = default;

    // 8 bytes: index, then generation, each in this host's byte order. Only
    // the process that made it reads it back: a peer returns it untouched
    // (the broker's client address frame, docs/design.md).
    static constexpr std::size_t byte_size = 8;
    std::string_view to_bytes(char (&out)[byte_size]) const noexcept {
        std::memcpy(out, &index, 4);
        std::memcpy(out + 4, &generation, 4);
        return {out, byte_size};
    }
    // Nothing unless exactly 8 bytes (network input: never throws).
    static std::optional<slot_token> from_bytes(std::string_view bytes) noexcept {
        if (bytes.size() != byte_size) {
            return std::nullopt;
        }
        slot_token t;
        std::memcpy(&t.index, bytes.data(), 4);
        std::memcpy(&t.generation, bytes.data() + 4, 4);
        return t;
    }

    // 16 lowercase hex digits: index, then generation (the client's
    // request_id, which travels in a BSON string).
    static constexpr std::size_t hex_size = 16;
    std::string_view to_hex(char (&out)[hex_size]) const noexcept;
    // Nothing unless exactly 16 hex digits (network input: never throws).
    static std::optional<slot_token> from_hex(std::string_view text) noexcept;
};

// The base of a slot table's values: where the table keeps a slot's token
// and whether it is in use. A value copied or assigned keeps its own slot:
// `value = T{}` clears a slot without unnaming it.
class slot {
public:
    slot() = default;
    slot(const slot&) noexcept {}
    slot& operator=(const slot&) noexcept { return *this; }
    ~slot() = default;

    slot_token token() const noexcept { return token_; }
    bool in_use() const noexcept { return in_use_; }

private:
    template <class T, class Reset>
    requires std::derived_from<T, slot>
    friend class slot_table;
    slot_token token_;
    bool in_use_ = false;
};

// How a released slot is cleared unless the table is told otherwise.
template <class T>
struct assign_empty {
    void operator()(T& value) const noexcept { value = T{}; }
};

// `Reset` clears a released value: a table whose values hold buffers worth
// keeping (frame vectors) passes one that clears them in place.
template <class T, class Reset = assign_empty<T>>
requires std::derived_from<T, slot>
class slot_table {
public:
    // A free slot, now in use under a new generation. Allocates only when
    // every slot is in use; values never move, so they may be pointed at.
    T& acquire() {
        T* value = nullptr;
        if (!free_.empty()) {
            value = &slots_[free_.back()];
            free_.pop_back();
        } else {
            value = &slots_.emplace_back();
            value->token_.index = static_cast<std::uint32_t>(slots_.size() - 1);
            free_.reserve(slots_.size());  // so that release() never allocates
        }
        ++value->token_.generation;
        value->in_use_ = true;
        return *value;
    }

    // Clears `value` (Reset) and frees its slot: its token names nothing
    // from now on. `value` must be in use in this table.
    void release(T& value) noexcept {
        Reset{}(value);
        value.in_use_ = false;
        free_.push_back(value.token_.index);
    }

    // The value `token` names, or nullptr if it names no slot, or a slot
    // released since (a stale or forged token).
    T* find(slot_token token) noexcept {
        if (token.index >= slots_.size()) {
            return nullptr;
        }
        auto& value = slots_[token.index];
        return value.in_use_ && value.token_.generation == token.generation ? &value : nullptr;
    }

    std::size_t in_use() const noexcept { return slots_.size() - free_.size(); }

    // Calls fn(T&) for each value in use, in index order. fn may release
    // any value; values it acquires may or may not be visited.
    template <class Fn>
    void for_each(Fn&& fn) {
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i].in_use_) {
                fn(slots_[i]);
            }
        }
    }

private:
    std::deque<T> slots_;  // a deque never moves its elements
    std::vector<std::uint32_t> free_;
};

}  // namespace skynet::runtime
