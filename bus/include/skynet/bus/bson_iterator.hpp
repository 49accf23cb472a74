#pragma once
// bson_iterator: walks the elements of a document or array in order, with
// libbson's checked iterator: on a corrupt document it stops early instead of
// reading out of bounds. Ends at std::default_sentinel.

#include <bson/bson.h>

#include <cstddef>
#include <iterator>
#include <string_view>

#include "skynet/bus/bson_element.hpp"

namespace skynet::bus {

class bson_iterator {
public:
    using value_type = bson_element;
    using difference_type = std::ptrdiff_t;

    bson_iterator() noexcept { at_end_ = true; }
    // The first element of `doc`, whose bytes outlive the iterator; `array`
    // as in bson_element.
    explicit bson_iterator(const bson_t* doc, std::string_view array = {}) noexcept
        : array_(array) {
        at_end_ = !bson_iter_init(&it_, doc) || !bson_iter_next(&it_);
    }

    bson_element operator*() const noexcept { return bson_element(it_, array_); }
    bson_iterator& operator++() noexcept {
        at_end_ = !bson_iter_next(&it_);
        return *this;
    }
    void operator++(int) noexcept { ++*this; }
    friend bool operator==(const bson_iterator& i, std::default_sentinel_t) noexcept {
        return i.at_end_;
    }

private:
    bson_iter_t it_{};
    std::string_view array_;
    bool at_end_ = false;
};

}  // namespace skynet::bus
