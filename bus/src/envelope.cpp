// The envelope's hot path: headers read by hand (bson_scan.hpp) and written
// straight into their frame (bson_writer.hpp). Documents the hand reader does
// not handle go to the libbson readers of envelope_reference.cpp. Each reader
// works on bytes; its frame overload only hands it the frame's bytes.
#include "skynet/bus/envelope.hpp"

#include <cstring>

#include "bson_scan.hpp"
#include "bson_writer.hpp"
#include "envelope_fields.hpp"
#include "skynet/bus/frames.hpp"

namespace skynet::bus::rpc {
namespace {

using detail::bson_scanner;
using detail::flat_bson_writer;
using detail::scalar_element;
using detail::scalar_type;

enum class walked { done, stopped, unsupported };

// Gives every element of the document `bytes` to `apply` until it returns false.
template <class Apply>
walked walk(std::string_view bytes, Apply&& apply) noexcept {
    bson_scanner scan(bytes.data(), bytes.size());
    scalar_element e;
    for (;;) {
        switch (scan.next(e)) {
            case bson_scanner::step::end:
                return walked::done;
            case bson_scanner::step::unsupported:
                return walked::unsupported;
            case bson_scanner::step::element:
                if (!apply(e)) {
                    return walked::stopped;
                }
                break;
        }
    }
}

// The first element named `key`, as libbson's find would return it.
std::optional<scalar_element> find(std::string_view header, std::string_view key) noexcept {
    std::optional<scalar_element> found;
    const auto how = walk(header, [&](const scalar_element& e) {
        if (e.key == key) {
            found = e;
            return false;
        }
        return true;
    });
    if (how == walked::unsupported) {
        return reference::find(header, key);
    }
    return found;
}

// Overwrites the value of the first element named `key` with `value`, if that
// element has type `type` (whose value is as wide as Value).
template <class Value>
bool overwrite(std::span<char> header, std::string_view key, scalar_type type,
               Value value) noexcept {
    auto e = find(std::string_view(header.data(), header.size()), key);
    if (!e || e->type != type) {
        return false;
    }
    std::memcpy(header.data() + e->value_offset, &value, sizeof value);
    return true;
}

// A frame's bytes, which ZeroMQ lets us modify while we own the message.
std::span<char> writable(zmq::message_t& frame) noexcept {
    return {static_cast<char*>(frame.data()), frame.size()};
}

// The "meta" sub-document's size: a document read from a header is copied
// as it is; a caller's pairs become one string element each.
std::size_t metadata_size(const metadata_view& m) noexcept {
    if (!m.document().empty()) {
        return m.document().size();
    }
    std::size_t size = flat_bson_writer::document_overhead;
    for (const auto [key, value] : m) {
        size += flat_bson_writer::utf8_size(key, value);
    }
    return size;
}

void write_metadata(flat_bson_writer& out, const metadata_view& m) noexcept {
    if (!m.document().empty()) {
        out.raw_document(field::metadata, m.document());
        return;
    }
    out.document(field::metadata, metadata_size(m));
    for (const auto [key, value] : m) {
        out.utf8(key, value);
    }
    out.finish();
}

}  // namespace

result<request_header> decode_request_header(std::string_view bytes) noexcept {
    fields::request_reading r;
    switch (walk(bytes, [&](const scalar_element& e) { return apply_request_field(e, r); })) {
        case walked::done:
            return fields::finish(r);
        case walked::stopped:
            return fields::malformed("request header field has the wrong type");
        case walked::unsupported:
            break;
    }
    return reference::decode_request_header(bytes);
}

result<request_header> decode_request_header(const zmq::message_t& frame) noexcept {
    return decode_request_header(view_of(frame));
}

result<reply_header> decode_reply_header(std::string_view bytes) noexcept {
    fields::reply_reading r;
    const char* wrong = nullptr;
    switch (walk(bytes, [&](const scalar_element& e) {
        wrong = apply_reply_field(e, r);
        return wrong == nullptr;
    })) {
        case walked::done:
            return fields::finish(r);
        case walked::stopped:
            return fields::malformed(wrong);
        case walked::unsupported:
            break;
    }
    return reference::decode_reply_header(bytes);
}

result<reply_header> decode_reply_header(const zmq::message_t& frame) noexcept {
    return decode_reply_header(view_of(frame));
}

std::optional<request_meta> peek_request(std::string_view header) noexcept {
    fields::meta_reading r;
    switch (walk(header, [&](const scalar_element& e) { return apply_meta_field(e, r); })) {
        case walked::done:
            return fields::finish(r);
        case walked::stopped:
            return std::nullopt;
        case walked::unsupported:
            break;
    }
    return reference::peek_request(header);
}

std::optional<request_meta> peek_request(const zmq::message_t& header) noexcept {
    return peek_request(view_of(header));
}

std::size_t encoded_size(const request_header& h) noexcept {
    using w = flat_bson_writer;
    auto size = w::document_overhead + w::utf8_size(field::method, h.method) +
                w::utf8_size(field::request_id, h.request_id) +
                w::utf8_size(field::origin, h.origin) + w::int32_size(field::retry) +
                w::bool_size(field::idempotent);
    if (h.timeout_ms) {
        size += w::int64_size(field::timeout_ms);
    }
    if (!h.traceparent.empty()) {
        size += w::utf8_size(field::traceparent, h.traceparent);
    }
    if (!h.parent.empty()) {
        size += w::utf8_size(field::parent, h.parent);
    }
    if (!h.metadata.empty()) {
        size += w::document_size(field::metadata, metadata_size(h.metadata));
    }
    return size;
}

void encode_into(const request_header& h, std::span<char> bytes) {
    flat_bson_writer out(bytes.data(), bytes.size());
    out.utf8(field::method, h.method);
    out.utf8(field::request_id, h.request_id);
    out.utf8(field::origin, h.origin);
    out.int32(field::retry, h.retry);
    if (h.timeout_ms) {
        out.int64(field::timeout_ms, *h.timeout_ms);
    }
    out.boolean(field::idempotent, h.idempotent);
    if (!h.traceparent.empty()) {
        out.utf8(field::traceparent, h.traceparent);
    }
    if (!h.parent.empty()) {
        out.utf8(field::parent, h.parent);
    }
    if (!h.metadata.empty()) {
        write_metadata(out, h.metadata);
    }
    out.finish();
}

std::size_t encoded_size(const reply_header& h) noexcept {
    using w = flat_bson_writer;
    auto size = w::document_overhead + w::utf8_size(field::request_id, h.request_id) +
                w::int32_size(field::code);
    if (!h.error.empty()) {
        size += w::utf8_size(field::error, h.error);
    }
    return size;
}

void encode_into(const reply_header& h, std::span<char> bytes) {
    flat_bson_writer out(bytes.data(), bytes.size());
    out.utf8(field::request_id, h.request_id);
    out.int32(field::code, static_cast<std::int32_t>(h.code));
    if (!h.error.empty()) {
        out.utf8(field::error, h.error);
    }
    out.finish();
}

zmq::message_t encode_request_header(const request_header& h) {
    zmq::message_t frame(encoded_size(h));
    encode_into(h, std::span(frame.data<char>(), frame.size()));
    return frame;
}

zmq::message_t encode_reply_header(const reply_header& h) {
    zmq::message_t frame(encoded_size(h));
    encode_into(h, std::span(frame.data<char>(), frame.size()));
    return frame;
}

zmq::message_t empty_document_frame() {
    static constexpr std::uint8_t empty[5] = {5, 0, 0, 0, 0};
    return zmq::message_t(empty, sizeof empty);
}

bool rewrite_timeout(std::span<char> header, std::int64_t timeout_ms) noexcept {
    return overwrite(header, field::timeout_ms, scalar_type::int64, timeout_ms);
}

bool rewrite_timeout(zmq::message_t& header, std::int64_t timeout_ms) noexcept {
    return rewrite_timeout(writable(header), timeout_ms);
}

bool rewrite_retry(std::span<char> header, std::int32_t retry) noexcept {
    return overwrite(header, field::retry, scalar_type::int32, retry);
}

bool rewrite_retry(zmq::message_t& header, std::int32_t retry) noexcept {
    return rewrite_retry(writable(header), retry);
}

std::int32_t peek_retry(std::string_view header) noexcept {
    auto e = find(header, field::retry);
    if (!e || e->type != scalar_type::int32) {
        return 0;
    }
    return static_cast<std::int32_t>(e->integer);
}

std::int32_t peek_retry(const zmq::message_t& header) noexcept {
    return peek_retry(view_of(header));
}

}  // namespace skynet::bus::rpc
