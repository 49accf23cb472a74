#pragma once
// bson_array_view: a BSON array read in place (a field of a document), its
// elements in order. Views the document's bytes and dies with them.
//
//     auto tags = doc.read_array("tags");          // result<bson_array_view>
//     for (bson_element e : *tags) { auto s = e.read_string(); ... }
//     auto all = tags->values<std::string>();     // result<std::vector<std::string>>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "skynet/bus/bson_element.hpp"
#include "skynet/bus/bson_iterator.hpp"
#include "skynet/bus/bson_view.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus {

class bson_array_view {
public:
    // The empty array.
    bson_array_view() noexcept = default;
    // `elements` is the array's body (a document keyed "0", "1", ...); `name`
    // its key in the parent, for error messages; both outlive this view.
    bson_array_view(const bson_view& elements, std::string_view name) noexcept
        : elements_(elements), name_(name) {}

    bson_iterator begin() const noexcept { return bson_iterator(elements_.get(), name_); }
    std::default_sentinel_t end() const noexcept { return {}; }
    // Counts the elements (a walk: BSON stores no count).
    std::size_t size() const noexcept;
    bool empty() const noexcept { return elements_.empty(); }
    // Element `index`, or BAD_REQUEST "field 'tags' has 2 elements, no [5]".
    result<bson_element> at(std::size_t index) const;

    // Every element as T: std::string, std::string_view (viewing the
    // document), std::int64_t, std::int32_t, double, bool or bson_view. The
    // first element of another type is the error, named "field 'tags[3]'".
    template <class T>
    result<std::vector<T>> values() const {
        std::vector<T> out;
        for (bson_element e : *this) {
            auto value = read_as<T>(e);
            if (!value) {
                return std::move(value).err();
            }
            out.push_back(T(std::move(value).value()));
        }
        return out;
    }

    // The array's body: a document whose keys are "0", "1", ...
    const bson_view& elements() const noexcept { return elements_; }
    std::string_view name() const noexcept { return name_; }

private:
    template <class T>
    static auto read_as(const bson_element& e) {
        if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
            return e.read_string();
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return e.read_int64();
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
            return e.read_int32();
        } else if constexpr (std::is_same_v<T, double>) {
            return e.read_double();
        } else if constexpr (std::is_same_v<T, bool>) {
            return e.read_bool();
        } else {
            static_assert(std::is_same_v<T, bson_view>, "values<T>: no BSON reading for T");
            return e.read_document();
        }
    }

    bson_view elements_;
    std::string_view name_;
};

}  // namespace skynet::bus

namespace skynet {
using bus::bson_array_view;
}  // namespace skynet
