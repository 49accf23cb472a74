#pragma once
// Turns the body of a 7/MDP REQUEST into a request object.

#include <span>

#include "skynet/worker/request.hpp"

namespace skynet::worker_detail {

class request_builder {
public:
    // Our envelope: `body` is a header and a params frame, moved in if they
    // are valid. BAD_REQUEST, with the frames left in place, if the header is
    // not ours or the params frame is not a BSON document (its length prefix
    // and terminator; elements are checked as they are read).
    // `ours` says whether the header was one of ours (a plain body that only
    // looks like two frames is not).
    static bus::result<request> envelope(std::span<zmq::message_t> body, bus::time_point now,
                                         bool& ours);
    // A plain MDP body, kept as it came.
    static request raw(std::span<zmq::message_t> body, bus::time_point now);
};

}  // namespace skynet::worker_detail
