#pragma once
// Owning and non-owning BSON documents over libbson.
//
// bson_view reads bytes it does not own (a received frame, a bson_doc) and
// dies with them. bson_doc owns a document being built or kept. Neither
// copies unless asked: a finished bson_doc becomes a ZeroMQ frame by handing
// its buffer over (to_frame), and a received frame is read in place.

#include <bson/bson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <zmq.hpp>

#include "skynet/bus/result.hpp"

namespace skynet::bus {

class bson_doc;

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
    // double with no fractional part, since JSON tools produce either.
    std::optional<std::string_view> get_string(std::string_view key) const noexcept;
    std::optional<std::int64_t> get_int64(std::string_view key) const noexcept;
    std::optional<std::int32_t> get_int32(std::string_view key) const noexcept;
    std::optional<bool> get_bool(std::string_view key) const noexcept;
    std::optional<double> get_double(std::string_view key) const noexcept;
    std::optional<bson_view> get_document(std::string_view key) const noexcept;
    bool has(std::string_view key) const noexcept;

    // Relaxed extended JSON ({"n": 20}), for people and logs.
    std::string to_json() const;

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

class bson_doc {
public:
    bson_doc() : doc_(bson_new()) {}
    bson_doc(bson_doc&& other) noexcept : doc_(std::exchange(other.doc_, nullptr)) {}
    bson_doc& operator=(bson_doc&& other) noexcept {
        std::swap(doc_, other.doc_);
        return *this;
    }
    bson_doc(const bson_doc&) = delete;
    bson_doc& operator=(const bson_doc&) = delete;
    ~bson_doc() { bson_destroy(doc_); }  // takes nullptr

    // Parses relaxed or canonical extended JSON. The error says where it broke.
    static result<bson_doc> from_json(std::string_view json);
    // A copy of the viewed document.
    static bson_doc copy_of(const bson_view& view);

    // Appenders return *this so that a document reads as one expression:
    //   bson_doc{}.add_int32("n", 20).add_string("who", "me")
    bson_doc& add_string(std::string_view key, std::string_view value);
    bson_doc& add_int32(std::string_view key, std::int32_t value);
    bson_doc& add_int64(std::string_view key, std::int64_t value);
    bson_doc& add_bool(std::string_view key, bool value);
    bson_doc& add_double(std::string_view key, double value);
    bson_doc& add_document(std::string_view key, const bson_view& value);
    // Appends a document built in place by `fill`, which gets the child.
    template <class Fill>
    bson_doc& add_document_with(std::string_view key, Fill&& fill) {
        bson_doc child;
        std::forward<Fill>(fill)(child);
        return add_document(key, child.view());
    }

    // Precondition: not moved from.
    bson_view view() const;
    std::string to_json() const { return view().to_json(); }

    // Hands the document's buffer to a ZeroMQ frame without copying; ZeroMQ
    // frees it when done. Leaves this document moved-from.
    zmq::message_t to_frame() &&;

    bson_t* get() noexcept { return doc_; }

private:
    // Owns `doc` from now on: no empty document is made only to be replaced.
    explicit bson_doc(bson_t* doc) noexcept : doc_(doc) {}

    bson_t* doc_;
};

}  // namespace skynet::bus
