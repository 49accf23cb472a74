// Fuzz target: the RPC envelope and BSON reads on arbitrary bytes, including
// the broker's in-place rewrites, which must keep a valid header valid.
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace skynet::bus;
    zmq::message_t frame(data, size);
    (void)rpc::decode_request_header(frame).ok();
    (void)rpc::decode_reply_header(frame).ok();
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
