#pragma once
// Load generators: how many callers, how many calls each keeps in flight,
// for how long. Every wait has a deadline; a call with no outcome by then is
// counted as unanswered, never waited for.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "results.hpp"

namespace skynet {
class client;
}

namespace skynet::bench {

struct curve_keys;

struct load_plan {
    int callers = 1;             // threads (sync) or clients, each with its own socket
    int inflight = 1;            // per caller
    std::size_t size = 100;      // payload bytes
    double seconds = 2.0;        // measured window, when requests == 0
    std::uint64_t requests = 0;  // per caller; 0: run for `seconds`
    std::chrono::milliseconds timeout{10000};  // per call, and the drain after the window
    bool idempotent = false;
    // Set: our clients speak CURVE with these keys (docs/security.md).
    std::shared_ptr<const curve_keys> curve = {};
    // Set: our clients name no broker and find those of `region` in the
    // registry at this URL (the endpoint given to run_skynet_load is unused).
    std::string redis = {};
    std::string region = "local";
};

// The peer a raw caller talks to: the relay (bare body frames) or any 7/MDP
// broker ("" MDPC01 service body). Replies must echo the body: its first 8
// bytes carry the send time.
struct raw_target {
    std::string endpoint;
    bool mdp = false;
    std::string service;
    // Our envelope, as our client would send the bench's echo call: a request
    // header (its request_id counting up) and a params document {data: ...}
    // that carries the send time. Our echo worker's result is a copy of it.
    bool envelope = false;
};

// Raw DEALER callers, each on its own thread with its own context.
run_result run_raw_load(const raw_target& target, const load_plan& plan);

// Our client: plan.callers clients; with inflight 1 each makes synchronous
// calls from its own thread, otherwise asynchronous ones kept in flight from
// the client's callbacks. Method "echo", params {data: <size bytes>}.
run_result run_skynet_load(const std::string& endpoint, const std::string& service,
                           const load_plan& plan);

}  // namespace skynet::bench
