#pragma once
// What each header field means, applied to one element however it was read
// (by hand in envelope.cpp, through libbson in envelope_reference.cpp), so
// that both readers decide alike.

#include <optional>

#include "bson_scan.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet::bus::rpc::fields {

inline std::optional<std::string_view> text_of(const detail::scalar_element& e) noexcept {
    if (e.type != detail::scalar_type::utf8) {
        return std::nullopt;
    }
    return e.text;
}

inline std::optional<std::int64_t> integer_of(const detail::scalar_element& e) noexcept {
    if (e.type == detail::scalar_type::int32 || e.type == detail::scalar_type::int64) {
        return e.integer;
    }
    return std::nullopt;
}

inline error malformed(const char* what) {
    return error{errc::bad_request, what};
}

// What a request header has read so far.
struct request_reading {
    request_header header;
    bool has_method = false;
    bool has_id = false;
};

// Applies one request header field; false if its type is wrong.
bool apply_request_field(const detail::scalar_element& e, request_reading& r) noexcept;

// Applies one reply header field; the error if it is wrong.
struct reply_reading {
    reply_header header;
    bool has_id = false;
    bool has_code = false;
};
const char* apply_reply_field(const detail::scalar_element& e, reply_reading& r) noexcept;

struct meta_reading {
    request_meta meta;
    bool has_id = false;
};
// False if the request_id is not a string (the header is not one of ours).
bool apply_meta_field(const detail::scalar_element& e, meta_reading& r) noexcept;

// The results once every element was read.
result<request_header> finish(request_reading& r);
result<reply_header> finish(reply_reading& r);
std::optional<request_meta> finish(meta_reading& r) noexcept;

}  // namespace skynet::bus::rpc::fields

namespace skynet::bus::rpc::reference {
// The first element named `key`, read through libbson; nothing if the bytes
// are not a document or have no such element.
std::optional<detail::scalar_element> find(std::string_view header, std::string_view key) noexcept;
}  // namespace skynet::bus::rpc::reference
