// The envelope read through libbson's iterator: slower, but it knows every
// BSON type. envelope.cpp falls back to it for documents its own reader does
// not handle, and the fuzz target checks that both agree on the rest. Like
// them, each reader works on bytes, and its frame overload reads the frame's.
#include <bson/bson.h>

#include "envelope_fields.hpp"
#include "skynet/bus/frames.hpp"

namespace skynet::bus::rpc::reference {
namespace {

// libbson reads the bytes in place, with memcpy: they need no alignment.
bool open(std::string_view bytes, bson_t* doc) noexcept {
    return bytes.size() >= 5 &&
           bson_init_static(doc, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

detail::scalar_element element_of(const bson_iter_t* it) noexcept {
    detail::scalar_element e;
    e.key = std::string_view(bson_iter_key(it), bson_iter_key_len(it));
    if (BSON_ITER_HOLDS_UTF8(it)) {
        std::uint32_t length = 0;
        const char* text = bson_iter_utf8(it, &length);
        e.type = detail::scalar_type::utf8;
        e.text = std::string_view(text, length);
    } else if (BSON_ITER_HOLDS_DOCUMENT(it)) {
        std::uint32_t length = 0;
        const std::uint8_t* bytes = nullptr;
        bson_iter_document(it, &length, &bytes);
        e.type = detail::scalar_type::document;
        e.text = std::string_view(reinterpret_cast<const char*>(bytes), length);
    } else if (BSON_ITER_HOLDS_INT32(it)) {
        e.type = detail::scalar_type::int32;
        e.integer = bson_iter_int32(it);
    } else if (BSON_ITER_HOLDS_INT64(it)) {
        e.type = detail::scalar_type::int64;
        e.integer = bson_iter_int64(it);
    } else if (BSON_ITER_HOLDS_BOOL(it)) {
        e.type = detail::scalar_type::boolean;
        e.boolean = bson_iter_bool(it);
    }
    return e;
}

}  // namespace

result<request_header> decode_request_header(std::string_view bytes) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!open(bytes, &doc) || !bson_iter_init(&it, &doc)) {
        return fields::malformed("request header is not a BSON document");
    }
    fields::request_reading r;
    while (bson_iter_next(&it)) {
        if (!fields::apply_request_field(element_of(&it), r)) {
            return fields::malformed("request header field has the wrong type");
        }
    }
    if (it.err_off != 0) {
        return fields::malformed("request header is corrupt BSON");
    }
    return fields::finish(r);
}

result<reply_header> decode_reply_header(std::string_view bytes) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!open(bytes, &doc) || !bson_iter_init(&it, &doc)) {
        return fields::malformed("reply header is not a BSON document");
    }
    fields::reply_reading r;
    while (bson_iter_next(&it)) {
        if (const char* wrong = fields::apply_reply_field(element_of(&it), r)) {
            return fields::malformed(wrong);
        }
    }
    if (it.err_off != 0) {
        return fields::malformed("reply header is corrupt BSON");
    }
    return fields::finish(r);
}

std::optional<request_meta> peek_request(std::string_view header) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!open(header, &doc) || !bson_iter_init(&it, &doc)) {
        return std::nullopt;
    }
    fields::meta_reading r;
    while (bson_iter_next(&it)) {
        if (!fields::apply_meta_field(element_of(&it), r)) {
            return std::nullopt;
        }
    }
    if (it.err_off != 0) {
        return std::nullopt;
    }
    return fields::finish(r);
}

std::optional<detail::scalar_element> find(std::string_view header, std::string_view key) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!open(header, &doc) ||
        !bson_iter_init_find_w_len(&it, &doc, key.data(), static_cast<int>(key.size()))) {
        return std::nullopt;
    }
    auto e = element_of(&it);
    e.value_offset = it.d1;  // where libbson's own overwrite functions write
    return e;
}

result<request_header> decode_request_header(const zmq::message_t& frame) noexcept {
    return decode_request_header(view_of(frame));
}

result<reply_header> decode_reply_header(const zmq::message_t& frame) noexcept {
    return decode_reply_header(view_of(frame));
}

std::optional<request_meta> peek_request(const zmq::message_t& header) noexcept {
    return peek_request(view_of(header));
}

}  // namespace skynet::bus::rpc::reference
