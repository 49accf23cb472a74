#pragma once
// bson_element: one element of a document or array, read in place: its key,
// its type and its value. Views the document's bytes and dies with them.

#include <bson/bson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "skynet/bus/bson_view.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus {

// The BSON spec's name of a type ("string", "int64", "document", ...).
std::string_view bson_type_name(bson_type_t type) noexcept;

class bson_element {
public:
    // `it` stands on an element of a document that outlives this element.
    // `array` names the array the element is in (its key, viewed in the
    // parent's bytes), empty for a field of a document.
    explicit bson_element(const bson_iter_t& it, std::string_view array = {}) noexcept
        : it_(it), array_(array) {}

    std::string_view key() const noexcept;
    bson_type_t type() const noexcept { return bson_iter_type(&it_); }
    std::string_view type_name() const noexcept { return bson_type_name(type()); }
    bool is_null() const noexcept { return type() == BSON_TYPE_NULL; }
    // How errors name it: "field 'n'", or "field 'tags[2]'" in an array.
    std::string describe() const;

    // The value if it has this type (with bson_view::get_*'s conversions).
    std::optional<std::string_view> get_string() const noexcept;
    std::optional<std::int64_t> get_int64() const noexcept;
    std::optional<std::int32_t> get_int32() const noexcept;
    std::optional<bool> get_bool() const noexcept;
    std::optional<double> get_double() const noexcept;
    std::optional<bson_view> get_document() const noexcept;
    std::optional<bson_array_view> get_array() const noexcept;

    // The same, or BAD_REQUEST "field 'n' is a string, not an int64".
    result<std::string_view> read_string() const;
    result<std::int64_t> read_int64() const;
    result<std::int32_t> read_int32() const;
    result<bool> read_bool() const;
    result<double> read_double() const;
    result<bson_view> read_document() const;
    result<bson_array_view> read_array() const;

    // libbson's iterator standing on this element, for what is not above.
    const bson_iter_t* iter() const noexcept { return &it_; }

private:
    error wrong_type(std::string_view wanted) const;

    bson_iter_t it_;
    std::string_view array_;
};

}  // namespace skynet::bus

namespace skynet {
using bus::bson_element;
}  // namespace skynet
