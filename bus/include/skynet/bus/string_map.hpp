#pragma once
// Hash maps keyed by std::string that look up by std::string_view without
// building a string, so that finding a peer or a service allocates nothing.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace skynet::bus {

struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

template <class Value>
using string_map = std::unordered_map<std::string, Value, string_hash, std::equal_to<>>;

}  // namespace skynet::bus
