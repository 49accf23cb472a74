#pragma once
// A reader of a BSON document's top-level elements, for the envelope's hot
// path: headers hold only strings, int32, int64 and booleans, and walking them
// by hand costs a tenth of what libbson's iterator does per field. Anything
// else (another type, a length that does not fit) stops the scan as
// `unsupported`, and the caller reads the document with libbson instead, which
// then decides whether it is valid. So for every document this reader accepts,
// it must read exactly what libbson would (tests/fuzz/envelope_fuzz.cpp checks).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace skynet::bus::detail {

enum class scalar_type : std::uint8_t {
    utf8 = 0x02,
    document = 0x03,  // text: the whole sub-document, length prefix to terminator
    boolean = 0x08,
    int32 = 0x10,
    int64 = 0x12,
    other = 0xff,  // only in elements read through libbson
};

struct scalar_element {
    std::string_view key;
    scalar_type type = scalar_type::other;
    std::string_view text;     // utf8; a document's bytes
    std::int64_t integer = 0;  // int32 and int64
    bool boolean = false;
    std::size_t value_offset = 0;  // where the value starts in the document
};

class bson_scanner {
public:
    enum class step { element, end, unsupported };

    // `size` bytes at `data`; a length prefix or terminator that disagrees
    // with them makes the first step unsupported.
    bson_scanner(const void* data, std::size_t size) noexcept;

    step next(scalar_element& out) noexcept;

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 4;
    bool ok_;
};

}  // namespace skynet::bus::detail
