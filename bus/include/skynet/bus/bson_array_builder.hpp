#pragma once
// bson_array_builder: the elements of an array being built, in order; what
// bson_doc::add_array_with() hands its `fill`:
//
//     doc.add_array_with("points", [](bson_array_builder& a) {
//         a.add_document_with([](bson_doc& p) { p.add_int32("x", 1); });
//         a.add(2.5).add("text");
//     });

#include <bson/bson.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>

#include "skynet/bus/bson_view.hpp"

namespace skynet::bus {

class bson_doc;

class bson_array_builder {
public:
    bson_array_builder() : array_(bson_new()) {}
    bson_array_builder(bson_array_builder&& other) noexcept
        : array_(std::exchange(other.array_, nullptr)), next_(other.next_) {}
    bson_array_builder& operator=(bson_array_builder&&) = delete;
    bson_array_builder(const bson_array_builder&) = delete;
    bson_array_builder& operator=(const bson_array_builder&) = delete;
    ~bson_array_builder() { bson_destroy(array_); }  // takes nullptr

    bson_array_builder& add_string(std::string_view value);
    bson_array_builder& add_int32(std::int32_t value);
    bson_array_builder& add_int64(std::int64_t value);
    bson_array_builder& add_double(double value);
    bson_array_builder& add_bool(bool value);
    bson_array_builder& add_null();
    bson_array_builder& add_document(const bson_view& value);
    // A nested array, built by `fill` (which gets a bson_array_builder&).
    bson_array_builder& add_array(const bson_array_builder& value);
    template <class Fill>
    bson_array_builder& add_array_with(Fill&& fill) {
        bson_array_builder child;
        std::forward<Fill>(fill)(child);
        return add_array(child);
    }
    // A document built in place by `fill`, which gets a bson_doc&. (Doc
    // stays bson_doc: a parameter only so that bson_doc, which includes this
    // header, is complete where this is used.)
    template <class Fill, class Doc = bson_doc>
    bson_array_builder& add_document_with(Fill&& fill) {
        Doc child;
        std::forward<Fill>(fill)(child);
        return add_document(child.view());
    }

    // By the value's C++ type: bool, an integer (int32 if it fits the type,
    // else int64; an unsigned value above INT64_MAX throws std::out_of_range),
    // a floating point number, anything that converts to std::string_view, a
    // bson_view, or a bson_doc.
    template <class T>
    bson_array_builder& add(const T& value) {
        if constexpr (std::is_same_v<T, bool>) {
            return add_bool(value);
        } else if constexpr (std::is_integral_v<T>) {
            return add_integer(value);
        } else if constexpr (std::is_floating_point_v<T>) {
            return add_double(static_cast<double>(value));
        } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
            return add_string(std::string_view(value));
        } else if constexpr (std::is_convertible_v<const T&, bson_view>) {
            return add_document(value);
        } else {
            return add_document(value.view());  // bson_doc
        }
    }

    // The array's body (a document keyed "0", "1", ...).
    bson_view view() const&;
    bson_view view() const&& = delete;  // would view a dying builder
    const bson_t* get() const noexcept { return array_; }

private:
    template <class T>
    bson_array_builder& add_integer(T value) {
        if constexpr (std::is_signed_v<T> && sizeof(T) <= sizeof(std::int32_t)) {
            return add_int32(value);
        } else if constexpr (std::is_unsigned_v<T> && sizeof(T) < sizeof(std::int32_t)) {
            return add_int32(static_cast<std::int32_t>(value));
        } else {
            if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
                if (value > static_cast<T>(std::numeric_limits<std::int64_t>::max())) {
                    throw std::out_of_range("BSON has no unsigned 64-bit integer");
                }
            }
            return add_int64(static_cast<std::int64_t>(value));
        }
    }
    // The next element's key: its index in decimal.
    const char* next_key(char (&buffer)[16], std::size_t* length) noexcept;

    bson_t* array_;
    std::uint32_t next_ = 0;
};

}  // namespace skynet::bus

namespace skynet {
using bus::bson_array_builder;
}  // namespace skynet
