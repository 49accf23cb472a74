#include "bson_scan.hpp"

#include <cstring>

namespace skynet::bus::detail {

namespace {

std::uint32_t le32(const std::uint8_t* p) noexcept {
    std::uint32_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;  // x86 and arm64 alike are little-endian, as BSON is
}

std::uint64_t le64(const std::uint8_t* p) noexcept {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

}  // namespace

bson_scanner::bson_scanner(const void* data, std::size_t size) noexcept
    : data_(static_cast<const std::uint8_t*>(data)),
      size_(size),
      ok_(size >= 5 && size <= INT32_MAX && le32(data_) == size && data_[size - 1] == 0) {}

bson_scanner::step bson_scanner::next(scalar_element& out) noexcept {
    if (!ok_) {
        return step::unsupported;
    }
    // The document's own terminator is at size_ - 1; every element, value
    // included, must end before it (as libbson requires).
    const std::size_t last = size_ - 1;
    if (pos_ == last) {
        return step::end;
    }
    const auto type = data_[pos_];
    const auto* key = data_ + pos_ + 1;
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(key, 0, last - pos_ - 1));
    if (type == 0 || nul == nullptr) {
        ok_ = false;
        return step::unsupported;
    }
    const std::size_t value = static_cast<std::size_t>(nul - data_) + 1;
    std::size_t end = 0;
    out.key =
        std::string_view(reinterpret_cast<const char*>(key), static_cast<std::size_t>(nul - key));
    out.value_offset = value;
    switch (static_cast<scalar_type>(type)) {
        case scalar_type::utf8: {
            if (value + 4 >= last) {
                break;
            }
            const std::size_t length = le32(data_ + value);
            if (length == 0 || length > last - value - 4 || data_[value + 4 + length - 1] != 0) {
                break;
            }
            out.type = scalar_type::utf8;
            out.text =
                std::string_view(reinterpret_cast<const char*>(data_ + value + 4), length - 1);
            end = value + 4 + length;
            break;
        }
        case scalar_type::document: {
            // Only a sub-document that ends before ours does, with its own
            // terminator in place; libbson decides on any other.
            if (value + 4 >= last) {
                break;
            }
            const std::size_t length = le32(data_ + value);
            if (length < 5 || length > last - value || data_[value + length - 1] != 0) {
                break;
            }
            out.type = scalar_type::document;
            out.text = std::string_view(reinterpret_cast<const char*>(data_ + value), length);
            end = value + length;
            break;
        }
        case scalar_type::boolean:
            if (value + 1 > last || data_[value] > 1) {
                break;
            }
            out.type = scalar_type::boolean;
            out.boolean = data_[value] == 1;
            end = value + 1;
            break;
        case scalar_type::int32:
            if (value + 4 > last) {
                break;
            }
            out.type = scalar_type::int32;
            out.integer = static_cast<std::int32_t>(le32(data_ + value));
            end = value + 4;
            break;
        case scalar_type::int64:
            if (value + 8 > last) {
                break;
            }
            out.type = scalar_type::int64;
            out.integer = static_cast<std::int64_t>(le64(data_ + value));
            end = value + 8;
            break;
        default:
            break;
    }
    if (end == 0) {
        ok_ = false;
        return step::unsupported;
    }
    pos_ = end;
    return step::element;
}

}  // namespace skynet::bus::detail
