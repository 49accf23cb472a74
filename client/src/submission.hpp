#pragma once
// A call as handed over by the calling thread: everything copied or moved,
// so that the caller's buffers may go.

#include <string>
#include <zmq.hpp>

#include "skynet/bus/clock.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/client/client.hpp"

namespace skynet::client_detail {

struct submission {
    bool raw = false;
    std::string service;
    std::string method;
    zmq::message_t params;
    // `params` views the caller's bytes (a synchronous call, whose caller
    // waits until the call has ended): nothing may keep them past its end.
    bool params_borrowed = false;
    bus::frames raw_body;
    bus::time_point deadline;
    bool idempotent = false;
    int retries = 0;
    bus::milliseconds hedge_after{0};
    bool wait_for_ready = false;
    std::string parent_id;
    std::string traceparent;
    call_callback done;
    // Cancellation and metadata (cancel_gate.hpp): the call's id for its
    // handle (0: none, a synchronous call), or, in a submission that is a
    // cancel and no call, the id of the call to end; and its metadata.
    std::uint64_t call_id = 0;
    std::uint64_t cancel_of = 0;
    bus::metadata_list metadata;
};

}  // namespace skynet::client_detail
