#include "skynet/bus/envelope.hpp"

#include <bson/bson.h>

#include <cstring>

namespace skynet::bus::rpc {
namespace {

error malformed(const char* what) { return error{errc::bad_request, what}; }

bool open(const zmq::message_t& frame, bson_t* doc) noexcept {
    return frame.size() >= 5 &&
           bson_init_static(doc, static_cast<const std::uint8_t*>(frame.data()), frame.size());
}

bool key_is(const bson_iter_t* it, std::string_view name) noexcept {
    return bson_iter_key_len(it) == name.size() &&
           std::memcmp(bson_iter_key(it), name.data(), name.size()) == 0;
}

std::optional<std::string_view> utf8_of(const bson_iter_t* it) noexcept {
    if (!BSON_ITER_HOLDS_UTF8(it)) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    const char* text = bson_iter_utf8(it, &length);
    return std::string_view(text, length);
}

std::optional<std::int64_t> integer_of(const bson_iter_t* it) noexcept {
    if (BSON_ITER_HOLDS_INT32(it) || BSON_ITER_HOLDS_INT64(it)) {
        return bson_iter_as_int64(it);
    }
    return std::nullopt;
}

// One reused buffer per thread for encoding, so that building a header costs
// no allocation beyond the frame itself.
bson_t* scratch() {
    struct holder {
        bson_t* doc = bson_sized_new(512);
        ~holder() { bson_destroy(doc); }
    };
    thread_local holder h;
    bson_reinit(h.doc);
    return h.doc;
}

void append_utf8(bson_t* doc, std::string_view key, std::string_view value) {
    // libbson appends null, not "", for a null pointer: an empty view may have one.
    bson_append_utf8(doc, key.data(), static_cast<int>(key.size()),
                     value.data() != nullptr ? value.data() : "",
                     static_cast<int>(value.size()));
}

zmq::message_t frame_of(const bson_t* doc) { return zmq::message_t(bson_get_data(doc), doc->len); }

// Applies one request header field; false if its type is wrong.
bool read_request_field(const bson_iter_t* it, request_header& h, bool& has_method,
                        bool& has_id) noexcept {
    auto text = [&](std::string_view& out) {
        auto v = utf8_of(it);
        out = v.value_or(std::string_view{});
        return v.has_value();
    };
    if (key_is(it, field::method)) {
        has_method = text(h.method);
        return has_method;
    }
    if (key_is(it, field::request_id)) {
        has_id = text(h.request_id);
        return has_id;
    }
    if (key_is(it, field::origin)) {
        return text(h.origin);
    }
    if (key_is(it, field::traceparent)) {
        return text(h.traceparent);
    }
    if (key_is(it, field::parent)) {
        return text(h.parent);
    }
    if (key_is(it, field::retry)) {
        auto v = integer_of(it);
        if (!v || *v < 0 || *v > INT32_MAX) {
            return false;
        }
        h.retry = static_cast<std::int32_t>(*v);
        return true;
    }
    if (key_is(it, field::timeout_ms)) {
        h.timeout_ms = integer_of(it);
        return h.timeout_ms.has_value();
    }
    if (key_is(it, field::idempotent)) {
        if (!BSON_ITER_HOLDS_BOOL(it)) {
            return false;
        }
        h.idempotent = bson_iter_bool(it);
    }
    return true;  // unknown fields are ignored
}

}  // namespace

result<request_header> decode_request_header(const zmq::message_t& frame) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!open(frame, &doc) || !bson_iter_init(&it, &doc)) {
        return malformed("request header is not a BSON document");
    }
    request_header header;
    bool has_method = false;
    bool has_id = false;
    while (bson_iter_next(&it)) {
        if (!read_request_field(&it, header, has_method, has_id)) {
            return malformed("request header field has the wrong type");
        }
    }
    if (it.err_off != 0) {
        return malformed("request header is corrupt BSON");
    }
    if (!has_method || !has_id) {
        return malformed("request header lacks method or request_id");
    }
    return header;
}

result<reply_header> decode_reply_header(const zmq::message_t& frame) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!open(frame, &doc) || !bson_iter_init(&it, &doc)) {
        return malformed("reply header is not a BSON document");
    }
    reply_header header;
    bool has_id = false;
    bool has_code = false;
    while (bson_iter_next(&it)) {
        if (key_is(&it, field::request_id)) {
            auto id = utf8_of(&it);
            if (!id) {
                return malformed("reply request_id is not a string");
            }
            header.request_id = *id;
            has_id = true;
        } else if (key_is(&it, field::code)) {
            auto raw = integer_of(&it);
            auto code = raw && *raw >= 0 && *raw <= errc_max
                            ? errc_from_int(static_cast<std::int32_t>(*raw))
                            : std::nullopt;
            if (!code) {
                return malformed("reply code is not a known error code");
            }
            header.code = *code;
            has_code = true;
        } else if (key_is(&it, field::error)) {
            auto text = utf8_of(&it);
            if (!text) {
                return malformed("reply error is not a string");
            }
            header.error = *text;
        }
    }
    if (it.err_off != 0) {
        return malformed("reply header is corrupt BSON");
    }
    if (!has_id || !has_code) {
        return malformed("reply header lacks request_id or code");
    }
    return header;
}

zmq::message_t encode_request_header(const request_header& h) {
    bson_t* doc = scratch();
    append_utf8(doc, field::method, h.method);
    append_utf8(doc, field::request_id, h.request_id);
    append_utf8(doc, field::origin, h.origin);
    bson_append_int32(doc, field::retry.data(), static_cast<int>(field::retry.size()), h.retry);
    if (h.timeout_ms) {
        bson_append_int64(doc, field::timeout_ms.data(), static_cast<int>(field::timeout_ms.size()),
                          *h.timeout_ms);
    }
    bson_append_bool(doc, field::idempotent.data(), static_cast<int>(field::idempotent.size()),
                     h.idempotent);
    if (!h.traceparent.empty()) {
        append_utf8(doc, field::traceparent, h.traceparent);
    }
    if (!h.parent.empty()) {
        append_utf8(doc, field::parent, h.parent);
    }
    return frame_of(doc);
}

zmq::message_t encode_reply_header(const reply_header& h) {
    bson_t* doc = scratch();
    append_utf8(doc, field::request_id, h.request_id);
    bson_append_int32(doc, field::code.data(), static_cast<int>(field::code.size()),
                      static_cast<std::int32_t>(h.code));
    if (!h.error.empty()) {
        append_utf8(doc, field::error, h.error);
    }
    return frame_of(doc);
}

zmq::message_t empty_document_frame() {
    static constexpr std::uint8_t empty[5] = {5, 0, 0, 0, 0};
    return zmq::message_t(empty, sizeof empty);
}

std::optional<request_meta> peek_request(const zmq::message_t& header) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!open(header, &doc) || !bson_iter_init(&it, &doc)) {
        return std::nullopt;
    }
    request_meta meta;
    bool has_id = false;
    while (bson_iter_next(&it)) {
        if (key_is(&it, field::request_id)) {
            auto id = utf8_of(&it);
            if (!id) {
                return std::nullopt;
            }
            meta.request_id = *id;
            has_id = true;
        } else if (key_is(&it, field::timeout_ms)) {
            meta.timeout_ms = integer_of(&it);
        } else if (key_is(&it, field::idempotent)) {
            meta.idempotent = BSON_ITER_HOLDS_BOOL(&it) && bson_iter_bool(&it);
        }
    }
    if (it.err_off != 0 || !has_id) {
        return std::nullopt;
    }
    return meta;
}

namespace {

// An iterator on `key` in a header frame, read in place; false if the frame
// is not a document or lacks the key.
bool find_in_header(const zmq::message_t& header, std::string_view key, bson_t* doc,
                    bson_iter_t* it) noexcept {
    return open(header, doc) &&
           bson_iter_init_find_w_len(it, doc, key.data(), static_cast<int>(key.size()));
}

}  // namespace

// bson_iter_overwrite_* writes through the iterator into the frame's bytes,
// which ZeroMQ lets us modify while we own the message.
bool rewrite_timeout(zmq::message_t& header, std::int64_t timeout_ms) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!find_in_header(header, field::timeout_ms, &doc, &it) || !BSON_ITER_HOLDS_INT64(&it)) {
        return false;
    }
    bson_iter_overwrite_int64(&it, timeout_ms);
    return true;
}

bool rewrite_retry(zmq::message_t& header, std::int32_t retry) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!find_in_header(header, field::retry, &doc, &it) || !BSON_ITER_HOLDS_INT32(&it)) {
        return false;
    }
    bson_iter_overwrite_int32(&it, retry);
    return true;
}

std::int32_t peek_retry(const zmq::message_t& header) noexcept {
    bson_t doc;
    bson_iter_t it;
    if (!find_in_header(header, field::retry, &doc, &it) || !BSON_ITER_HOLDS_INT32(&it)) {
        return 0;
    }
    return bson_iter_int32(&it);
}

}  // namespace skynet::bus::rpc
