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
    // The same for a record of a batch frame: `header` and `params` lie in
    // `batch`, which the request then shares (no copy of the bytes).
    static bus::result<request> envelope(zmq::message_t& batch, std::string_view header,
                                         std::string_view params, bus::time_point now, bool& ours);
    // A plain MDP body, kept as it came.
    static request raw(std::span<zmq::message_t> body, bus::time_point now);

private:
    static bus::result<request> envelope(std::string_view header, std::string_view params,
                                         const void* base_address, bus::time_point now, bool& ours);
};

}  // namespace skynet::worker_detail
