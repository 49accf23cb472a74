#pragma once
// Who asked for a request and on what terms: what travels with it from its
// service's queue to a worker and, if that worker dies, back again.

#include <cstdint>
#include <zmq.hpp>

#include "client_table.hpp"
#include "skynet/bus/clock.hpp"

namespace skynet::broker_detail {

struct request_terms {
    zmq::message_t client;  // the client's routing identity
    request_ticket ticket;  // its share of the client's bound
    bus::time_point deadline = bus::time_point::max();
    bool idempotent = false;
    // It came in its client's batch frame: the client takes replies in one.
    bool client_batches = false;
    // The retry count its header says once it is run again (recover), -1
    // while it is as its client sent it: written into what leaves, since
    // the bytes it is kept in may be shared with an earlier send.
    std::int32_t retry = -1;
};

}  // namespace skynet::broker_detail
