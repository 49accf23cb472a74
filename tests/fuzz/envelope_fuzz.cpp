// Fuzz target: the RPC envelope and BSON reads on arbitrary bytes, including
// the broker's in-place rewrites, which must keep a valid header valid, and
// the envelope's hand reader, which must agree with libbson's on every input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/envelope.hpp"

namespace {

void read_document(const skynet::bus::bson_view& view) {
    (void)view.validate().ok();
    (void)view.get_string("method");
    (void)view.get_int64("timeout_ms");
    (void)view.get_int32("retry");
    (void)view.get_bool("idempotent");
    (void)view.get_double("x");
    if (auto inner = view.get_document("params")) {
        (void)inner->get_string("name");
    }
    if (view.validate().ok()) {
        (void)view.to_json();
    }
}

bool same(const skynet::bus::rpc::request_header& a, const skynet::bus::rpc::request_header& b) {
    return a.method == b.method && a.request_id == b.request_id && a.origin == b.origin &&
           a.retry == b.retry && a.timeout_ms == b.timeout_ms && a.idempotent == b.idempotent &&
           a.traceparent == b.traceparent && a.parent == b.parent &&
           a.metadata.document() == b.metadata.document() &&
           std::equal(a.metadata.begin(), a.metadata.end(), b.metadata.begin(), b.metadata.end());
}

// The hand reader and libbson's must agree on every input, errors included.
void compare_readers(const zmq::message_t& frame) {
    namespace rpc = skynet::bus::rpc;
    auto fast = rpc::decode_request_header(frame);
    auto slow = rpc::reference::decode_request_header(frame);
    if (fast.ok() != slow.ok() || (fast.ok() && !same(*fast, *slow)) ||
        (!fast.ok() && fast.err().detail != slow.err().detail)) {
        __builtin_trap();
    }
    auto fast_reply = rpc::decode_reply_header(frame);
    auto slow_reply = rpc::reference::decode_reply_header(frame);
    if (fast_reply.ok() != slow_reply.ok() ||
        (fast_reply.ok() &&
         (fast_reply->request_id != slow_reply->request_id ||
          fast_reply->code != slow_reply->code || fast_reply->error != slow_reply->error)) ||
        (!fast_reply.ok() && fast_reply.err().detail != slow_reply.err().detail)) {
        __builtin_trap();
    }
    auto fast_meta = rpc::peek_request(frame);
    auto slow_meta = rpc::reference::peek_request(frame);
    if (fast_meta.has_value() != slow_meta.has_value() ||
        (fast_meta && (fast_meta->request_id != slow_meta->request_id ||
                       fast_meta->timeout_ms != slow_meta->timeout_ms ||
                       fast_meta->idempotent != slow_meta->idempotent))) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace skynet::bus;
    zmq::message_t frame(data, size);
    compare_readers(frame);
    auto meta = rpc::peek_request(frame);
    (void)rpc::peek_retry(frame);

    zmq::message_t copy(data, size);
    const bool was_valid = rpc::decode_request_header(copy).ok();
    (void)rpc::rewrite_timeout(copy, 1234);
    (void)rpc::rewrite_retry(copy, 7);
    if (was_valid && !rpc::decode_request_header(copy).ok()) {
        __builtin_trap();  // a rewrite broke a valid header
    }
    (void)meta;

    if (auto view = bson_view::from_bytes(data, size); view.ok()) {
        read_document(*view);
    }
    std::string text(reinterpret_cast<const char*>(data), size);
    if (auto parsed = bson_doc::from_json(text); parsed.ok()) {
        read_document(parsed->view());
    }
    return 0;
}
