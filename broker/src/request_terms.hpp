#pragma once
// Who asked for a request and on what terms: what travels with it from its
// service's queue to a worker and, if that worker dies, back again.

#include <zmq.hpp>

#include "client_table.hpp"
#include "skynet/bus/clock.hpp"

namespace skynet::broker_detail {

struct request_terms {
    zmq::message_t client;  // the client's routing identity
    request_ticket ticket;  // its share of the client's bound
    bus::time_point deadline = bus::time_point::max();
    bool idempotent = false;
};

}  // namespace skynet::broker_detail
