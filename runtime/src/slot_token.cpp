#include <charconv>

#include "skynet/runtime/slot_table.hpp"

namespace skynet::runtime {

std::string_view slot_token::to_hex(char (&out)[hex_size]) const noexcept {
    static constexpr char digits[] = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) {
        out[i] = digits[(index >> (28 - 4 * i)) & 0xf];
        out[8 + i] = digits[(generation >> (28 - 4 * i)) & 0xf];
    }
    return {out, hex_size};
}

std::optional<slot_token> slot_token::from_hex(std::string_view text) noexcept {
    if (text.size() != hex_size) {
        return std::nullopt;
    }
    slot_token t;
    const char* middle = text.data() + 8;
    const char* end = text.data() + hex_size;
    auto first = std::from_chars(text.data(), middle, t.index, 16);
    auto second = std::from_chars(middle, end, t.generation, 16);
    if (first.ptr != middle || second.ptr != end) {
        return std::nullopt;
    }
    return t;
}

}  // namespace skynet::runtime
