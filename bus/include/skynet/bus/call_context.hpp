#pragma once
// What a call made inside a handler inherits from the request it serves
// (docs/design.md): its deadline, so that a composite service never outlives its
// caller, and its request id, named as the new call's parent.

#include <string_view>

#include "skynet/bus/clock.hpp"

namespace skynet::bus {

struct call_context {
    time_point deadline = time_point::max();
    std::string_view request_id;   // becomes the child's "parent" header field
    std::string_view traceparent;  // passed on unchanged
};

}  // namespace skynet::bus
