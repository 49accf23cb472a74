#pragma once
// A worker's place in a service's ready list, and the list: plain data,
// kept by the worker pool (worker_pool.hpp).

#include "intrusive_list.hpp"
#include "skynet/bus/clock.hpp"

namespace skynet::broker_detail {

using bus::time_point;

struct worker_peer;
struct service;

// A worker's place in one service's ready list. A worker announced as
// "name@version" has two: in "name@version" and in "name".
struct ready_entry {
    worker_peer* worker = nullptr;
    service* svc = nullptr;
    list_hook<ready_entry> hook;
};
using ready_list = intrusive_list<ready_entry, &ready_entry::hook>;

}  // namespace skynet::broker_detail
