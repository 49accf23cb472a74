#pragma once
// What a call made inside a handler inherits from the request it serves
// (docs/design.md): its deadline, so that a composite service never outlives its
// caller, and its request id, named as the new call's parent.

#include <string>

#include "skynet/bus/clock.hpp"

namespace skynet::bus {

// It owns its strings, so that it may outlive the request it was taken from
// (a call made after the handler returned still names its parent).
struct call_context {
    time_point deadline = time_point::max();
    std::string request_id;   // becomes the child's "parent" header field
    std::string traceparent;  // passed on unchanged
};

}  // namespace skynet::bus

namespace skynet {
using bus::call_context;
}  // namespace skynet
