#pragma once
// Headers the envelope tests share.

#include "skynet/bus/envelope.hpp"

namespace skynet::testing {

// A request header with every field set.
inline bus::rpc::request_header sample_header() {
    bus::rpc::request_header h;
    h.method = "Index";
    h.request_id = "00000000000000a1";
    h.origin = "host/42/test";
    h.retry = 2;
    h.timeout_ms = 1500;
    h.idempotent = true;
    h.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    h.parent = "00000000000000f0";
    return h;
}

}  // namespace skynet::testing
