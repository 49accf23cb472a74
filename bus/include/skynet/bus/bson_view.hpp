#pragma once
// bson_view: a BSON document read in place, over bytes it does not own (a
// received frame, a bson_doc). It dies with those bytes. Every read checks the
// document's lengths as it goes, so a corrupt document never makes a read go
// out of bounds: it reads as missing fields or as an error.

#include <bson/bson.h>

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <zmq.hpp>

#include "skynet/bus/result.hpp"

namespace skynet::bus {

class bson_element;
class bson_array_view;
class bson_iterator;

class bson_view {
public:
    // The empty document.
    bson_view() noexcept;
    // A static bson_t points into itself (its buffer pointer addresses its own
    // `alloc` field), so a plain memberwise copy would dangle: copies re-init.
    bson_view(const bson_view& other) noexcept { init(other.data(), other.size()); }
    bson_view& operator=(const bson_view& other) noexcept {
        init(other.data(), other.size());
        return *this;
    }

    // A view over bytes that hold one BSON document whose length prefix and
    // terminator agree with `size`. Elements are checked as they are read, so
    // reading a corrupt document never goes out of bounds; validate() checks
    // all of them at once. Never throws: these bytes may come from the network.
    static result<bson_view> from_bytes(const void* data, std::size_t size) noexcept;
    static result<bson_view> from_frame(const zmq::message_t& frame) noexcept {
        return from_bytes(frame.data(), frame.size());
    }

    // Walks every element (UTF-8, nesting, lengths); the first fault found.
    result<void> validate() const;

    // Typed field reads: nothing if the key is absent or of another type.
    // Strings view the document's bytes. get_int64 also takes an int32, and a
    // double with no fractional part, since JSON tools produce either;
    // get_double takes integers. Never throw, never allocate.
    std::optional<std::string_view> get_string(std::string_view key) const noexcept;
    std::optional<std::int64_t> get_int64(std::string_view key) const noexcept;
    std::optional<std::int32_t> get_int32(std::string_view key) const noexcept;
    std::optional<bool> get_bool(std::string_view key) const noexcept;
    std::optional<double> get_double(std::string_view key) const noexcept;
    std::optional<bson_view> get_document(std::string_view key) const noexcept;
    std::optional<bson_array_view> get_array(std::string_view key) const noexcept;
    bool has(std::string_view key) const noexcept;

    // The same reads, telling why there is no value: an error of code
    // BAD_REQUEST whose detail is "missing field 'n'" or "field 'n' is a
    // string, not an int64". Accept what get_* accepts. Allocate only on error.
    result<std::string_view> read_string(std::string_view key) const;
    result<std::int64_t> read_int64(std::string_view key) const;
    result<std::int32_t> read_int32(std::string_view key) const;
    result<bool> read_bool(std::string_view key) const;
    result<double> read_double(std::string_view key) const;
    result<bson_view> read_document(std::string_view key) const;
    result<bson_array_view> read_array(std::string_view key) const;
    // The element named `key`, of any type; missing field as above.
    result<bson_element> read(std::string_view key) const;
    std::optional<bson_element> find(std::string_view key) const noexcept;

    // The top-level elements in order (include skynet/bus/bson_iterator.hpp,
    // or bson.hpp). A corrupt document ends early: validate() to tell.
    bson_iterator begin() const noexcept;
    std::default_sentinel_t end() const noexcept { return {}; }

    // Relaxed extended JSON ({"n": 20}), for people and logs: an int64 prints
    // as a plain number and reads back as int32 if it fits.
    std::string to_json() const;
    // Canonical extended JSON ({"n": {"$numberInt": "20"}}): every type
    // survives from_json(to_canonical_json()) exactly.
    std::string to_canonical_json() const;

    const bson_t* get() const noexcept { return &bson_; }
    const std::uint8_t* data() const noexcept { return bson_get_data(&bson_); }
    std::size_t size() const noexcept { return bson_.len; }
    bool empty() const noexcept { return bson_count_keys(&bson_) == 0; }

private:
    void init(const std::uint8_t* data, std::size_t size) noexcept {
        bson_init_static(&bson_, data, size);
    }
    bson_t bson_;
};

}  // namespace skynet::bus

namespace skynet {
using bus::bson_view;
}  // namespace skynet
