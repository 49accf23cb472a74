#pragma once
// Writes a BSON document of strings, int32, int64, booleans and documents of
// those straight
// into a buffer whose size was computed first: one allocation (the frame) and
// no copy for an envelope header, where libbson's appenders cost several
// times the rest of the encoding. The bytes are the ones bson_append_* would
// write (tests/bus/envelope_test.cpp compares them).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace skynet::bus::detail {

class flat_bson_writer {
public:
    static constexpr std::size_t document_overhead = 4 + 1;  // length prefix, terminator

    static constexpr std::size_t utf8_size(std::string_view key, std::string_view value) noexcept {
        return 1 + key.size() + 1 + 4 + value.size() + 1;
    }
    static constexpr std::size_t int32_size(std::string_view key) noexcept {
        return 1 + key.size() + 1 + 4;
    }
    static constexpr std::size_t int64_size(std::string_view key) noexcept {
        return 1 + key.size() + 1 + 8;
    }
    static constexpr std::size_t bool_size(std::string_view key) noexcept {
        return 1 + key.size() + 1 + 1;
    }

    // `out` holds exactly `size` bytes: the sum of the elements' sizes and
    // document_overhead. BSON lengths are int32: larger documents throw.
    flat_bson_writer(void* out, std::size_t size) : out_(static_cast<std::uint8_t*>(out)) {
        if (size > INT32_MAX) {
            throw std::length_error("BSON document over 2 GiB");
        }
        put32(static_cast<std::uint32_t>(size));
    }

    void utf8(std::string_view key, std::string_view value) noexcept {
        head(0x02, key);
        put32(static_cast<std::uint32_t>(value.size() + 1));
        bytes(value);
        *out_++ = 0;
    }
    void int32(std::string_view key, std::int32_t value) noexcept {
        head(0x10, key);
        put32(static_cast<std::uint32_t>(value));
    }
    void int64(std::string_view key, std::int64_t value) noexcept {
        head(0x12, key);
        const auto v = static_cast<std::uint64_t>(value);
        std::memcpy(out_, &v, sizeof v);  // little-endian hosts, as BSON
        out_ += sizeof v;
    }
    void boolean(std::string_view key, bool value) noexcept {
        head(0x08, key);
        *out_++ = value ? 1 : 0;
    }
    void finish() noexcept { *out_++ = 0; }
    // An embedded document of `size` bytes (document_overhead and its
    // elements): its elements follow, then finish() ends it.
    static constexpr std::size_t document_size(std::string_view key, std::size_t size) noexcept {
        return 1 + key.size() + 1 + size;
    }
    void document(std::string_view key, std::size_t size) noexcept {
        head(0x03, key);
        put32(static_cast<std::uint32_t>(size));
    }
    // A whole document's bytes, copied as they are.
    void raw_document(std::string_view key, std::string_view bytes) noexcept {
        head(0x03, key);
        this->bytes(bytes);
    }

private:
    void head(std::uint8_t type, std::string_view key) noexcept {
        *out_++ = type;
        bytes(key);
        *out_++ = 0;
    }
    void bytes(std::string_view s) noexcept {
        if (!s.empty()) {
            std::memcpy(out_, s.data(), s.size());
            out_ += s.size();
        }
    }
    void put32(std::uint32_t v) noexcept {
        std::memcpy(out_, &v, sizeof v);
        out_ += sizeof v;
    }

    std::uint8_t* out_;
};

}  // namespace skynet::bus::detail
