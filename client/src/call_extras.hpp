#pragma once
// What a call carries beside its params (docs/design.md): its metadata and
// its traceparent, as call_options asks.

#include "skynet/client/client.hpp"
#include "submission.hpp"

namespace skynet::client_detail {

// Copies the options' metadata into `s`, and sets its traceparent: the
// options', else the parent's (already in `s`), else a new one if the
// options start a trace. Throws std::invalid_argument for a metadata key
// holding a NUL byte (BSON keys cannot) or a malformed traceparent.
void add_trace_and_metadata(submission& s, const call_options& options);

}  // namespace skynet::client_detail
