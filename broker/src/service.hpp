#pragma once
// What the broker knows of one service name: its ready workers, its queue
// and its worker count. Plain data, kept by the service table
// (service_table.hpp).

#include <cstddef>
#include <string>

#include "ready_entry.hpp"
#include "request_queue.hpp"
#include "service_cells.hpp"
#include "skynet/bus/clock.hpp"

namespace skynet::broker_detail {

using bus::time_point;

struct service {
    explicit service(std::string n) : name(std::move(n)) {}
    std::string name;
    ready_list ready;
    request_queue queue;
    std::size_t workers = 0;      // of any version, for a bare name
    time_point no_workers_since;  // when workers last became zero
    bool waiting = false;         // on the broker's list of services to sweep
    // No queued request expires before this: the sweep skips the queue until
    // then (or until the unknown-service wait of its oldest request ends).
    time_point earliest_deadline = time_point::max();
    service_cells cells;  // outcomes and durations, for metrics
};

}  // namespace skynet::broker_detail
