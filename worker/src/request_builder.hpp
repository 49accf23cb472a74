#pragma once
// Turns the body of a 7/MDP REQUEST, plain or a batch record, into a
// request object that keeps the payload without copying it.

#include "cancel_table.hpp"
#include "skynet/bus/message.hpp"
#include "skynet/worker/request.hpp"

namespace skynet::worker_detail {

class request_builder {
public:
    // Our envelope: `body` is a header and a params frame. If they are valid
    // the request keeps them: a plain message's frames are moved in, a
    // record's batch frame is shared (no copy of the bytes either way).
    // BAD_REQUEST, with `body` left whole, if the header is not ours or the
    // params frame is not a BSON document (its length prefix and terminator;
    // elements are checked as they are read). `ours` says whether the header
    // was one of ours (a plain body that only looks like two frames is not).
    static bus::result<request> envelope(bus::message_view& body, bus::time_point now, bool& ours);
    // A plain MDP body, kept as it came: plain frames moved in, a record's
    // frames copied (the raw handler reads frames of their own).
    static request raw(bus::message_view& body, bus::time_point now);
    // The request reads its cancel mark from `slot` from now on.
    static void watch_cancel(request& r, const cancel_slot& slot) noexcept;

    // Lets the request reach the worker's client (request::client()).
    static void attach(request& r, shared_state* worker) noexcept { r.worker_ = worker; }

private:
    static bus::result<request> envelope(std::string_view header, std::string_view params,
                                         const void* base_address, bus::time_point now, bool& ours);
};

}  // namespace skynet::worker_detail
