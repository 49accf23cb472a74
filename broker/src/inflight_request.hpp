#pragma once
// A request a worker holds, until its reply: plain data, in the in-flight
// table's slots (inflight_table.hpp).

#include "intrusive_list.hpp"
#include "request_terms.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/message.hpp"
#include "skynet/runtime/slot_table.hpp"

namespace skynet::broker_detail {

using bus::time_point;

struct worker_peer;
struct service;

// A request sent to a worker, until its reply. The worker returns the slot's
// token (index and generation) as the REQUEST's client address, so that its
// reply finds the slot in O(1) and a stale reply is recognised.
struct inflight_request : runtime::slot {
    worker_peer* worker = nullptr;
    service* requested = nullptr;  // the name the client asked for
    request_terms terms;
    // The request as it came (docs/design.md): its plain frames, or its
    // client's batch frame, shared rather than copied, and where the record
    // lies in it. Re-dispatch needs all of it, an error reply the header's
    // request_id.
    bus::kept_message message;
    list_hook<inflight_request> hook;  // on its worker's held list
    // Its caller gave it up (mmi.cancel): its reply is dropped, and it is
    // neither run again nor answered if its worker dies.
    bool cancelled = false;
    time_point dispatched_at;  // for its service's duration histogram
};
using inflight_list = intrusive_list<inflight_request, &inflight_request::hook>;

}  // namespace skynet::broker_detail
