#pragma once
// W3C trace context's traceparent (https://www.w3.org/TR/trace-context/):
// "00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>", lower case, ids
// not all zero. The bus carries it in the request header and passes it on
// to nested calls unchanged.

#include <string>
#include <string_view>

namespace skynet::bus {

// True for a version-00 traceparent as the spec writes it.
bool is_valid_traceparent(std::string_view text) noexcept;

// A new trace: random trace-id and parent-id (never all zero), flags 01
// (sampled). The randomness comes from a per-thread generator seeded from
// std::random_device once, so that starting a trace costs no system call.
std::string new_traceparent();

}  // namespace skynet::bus

namespace skynet {
using bus::is_valid_traceparent;
using bus::new_traceparent;
}  // namespace skynet
