#pragma once
// The RPC envelope inside MDP bodies (docs/design.md): a request body is a BSON
// header frame and a BSON params frame; a reply body is a BSON header frame and
// a BSON result frame.
//
// Every reader takes a header's bytes wherever they lie (its own frame, or a
// record of a batch frame, batch.hpp), with an overload for a whole frame that
// reads the frame's bytes. Decoded headers are views into those bytes and die
// with them. Decoders never throw: these bytes come from the network.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <zmq.hpp>

#include "skynet/bus/metadata.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus::rpc {

struct request_header {
    std::string_view method;
    std::string_view request_id;  // unique per client
    std::string_view origin;      // "host/pid/name" of the caller
    std::int32_t retry = 0;       // how often the bus re-dispatched it
    // The time budget left when it was sent, in milliseconds; each hop
    // subtracts what it spent. Nothing: no deadline.
    std::optional<std::int64_t> timeout_ms;
    bool idempotent = false;
    std::string_view traceparent;  // W3C trace context; empty: none
    std::string_view parent;       // request_id of the call that made this one; empty: none
    // Per-call metadata (metadata.hpp): the "meta" sub-document, every value
    // a string. Decoded: a view of the header's bytes. Empty: not sent.
    metadata_view metadata;
};

struct reply_header {
    std::string_view request_id;
    errc code = errc::ok;
    std::string_view error;  // empty when code is ok
};

// Field names on the wire.
namespace field {
inline constexpr std::string_view method = "method";
inline constexpr std::string_view request_id = "request_id";
inline constexpr std::string_view origin = "origin";
inline constexpr std::string_view retry = "retry";
inline constexpr std::string_view timeout_ms = "timeout_ms";
inline constexpr std::string_view idempotent = "idempotent";
inline constexpr std::string_view traceparent = "traceparent";
inline constexpr std::string_view parent = "parent";
inline constexpr std::string_view metadata = "meta";
inline constexpr std::string_view code = "code";
inline constexpr std::string_view error = "error";
}  // namespace field

// method and request_id are required; unknown fields are ignored, so that
// newer peers may add some.
result<request_header> decode_request_header(std::string_view bytes) noexcept;
result<request_header> decode_request_header(const zmq::message_t& frame) noexcept;
result<reply_header> decode_reply_header(std::string_view bytes) noexcept;
result<reply_header> decode_reply_header(const zmq::message_t& frame) noexcept;

zmq::message_t encode_request_header(const request_header& header);
zmq::message_t encode_reply_header(const reply_header& header);
// The same encodings written into place (a batch record's frame, say):
// `bytes` holds exactly encoded_size() bytes. Throws std::length_error for a
// header over 2 GiB.
std::size_t encoded_size(const request_header& header) noexcept;
std::size_t encoded_size(const reply_header& header) noexcept;
void encode_into(const request_header& header, std::span<char> bytes);
void encode_into(const reply_header& header, std::span<char> bytes);

// A BSON frame holding the empty document: the result of an error reply.
zmq::message_t empty_document_frame();

// What a broker reads of a request header, in place, without validating the
// whole document. Nothing if the frame is not one of our headers (a plain MDP
// body is opaque and valid).
struct request_meta {
    std::string_view request_id;
    std::optional<std::int64_t> timeout_ms;
    bool idempotent = false;
};
std::optional<request_meta> peek_request(std::string_view header) noexcept;
std::optional<request_meta> peek_request(const zmq::message_t& header) noexcept;

// Rewrites the header's timeout_ms in place (the broker subtracts the time a
// request spent queued). False if the header has no int64 timeout_ms; then
// nothing was written. Only the 8 bytes of the value change, always inside
// `header`. The bytes (or the frame) must not be shared with a send in progress.
bool rewrite_timeout(std::span<char> header, std::int64_t timeout_ms) noexcept;
bool rewrite_timeout(zmq::message_t& header, std::int64_t timeout_ms) noexcept;

}  // namespace skynet::bus::rpc

namespace skynet::bus::rpc::reference {
// The same readers through libbson's iterator, which knows every BSON type.
// The readers above take their own faster path through headers of strings,
// integers and booleans, and fall back to these for anything else; on every
// input both must agree (the envelope fuzz target checks it). Bytes need no
// alignment: libbson reads them with memcpy.
result<request_header> decode_request_header(std::string_view bytes) noexcept;
result<request_header> decode_request_header(const zmq::message_t& frame) noexcept;
result<reply_header> decode_reply_header(std::string_view bytes) noexcept;
result<reply_header> decode_reply_header(const zmq::message_t& frame) noexcept;
std::optional<request_meta> peek_request(std::string_view header) noexcept;
std::optional<request_meta> peek_request(const zmq::message_t& header) noexcept;
}  // namespace skynet::bus::rpc::reference

namespace skynet::bus::rpc {
// Rewrites the header's retry count in place (4 bytes inside `header`);
// false if it has no int32 retry, and then nothing was written.
bool rewrite_retry(std::span<char> header, std::int32_t retry) noexcept;
bool rewrite_retry(zmq::message_t& header, std::int32_t retry) noexcept;
// The header's retry count, 0 if absent.
std::int32_t peek_retry(std::string_view header) noexcept;
std::int32_t peek_retry(const zmq::message_t& header) noexcept;
}  // namespace skynet::bus::rpc
