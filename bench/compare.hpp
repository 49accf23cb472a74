#pragma once
// A scenario in its usual shape: the same load against the baseline relay
// (one or more modes) and against our broker, client and worker.

#include <string>
#include <vector>

#include "load.hpp"
#include "options.hpp"
#include "peers.hpp"
#include "relay.hpp"
#include "results.hpp"

namespace skynet::bench {

struct relay_case {
    std::string label;
    relay_mode mode = relay_mode::unlimited;
    int workers = 1;  // threads, each with `connections` sockets
    int connections = 1;
};

struct comparison {
    std::string name;
    std::string description;
    load_plan plan;
    std::vector<relay_case> baselines;
    int reference = 0;  // the baseline that ratios are taken against
    echo_plan ours;
    std::string our_label = "skynet";
    // Also run a raw caller sending our client's frames through our broker
    // and worker: the difference to our run is our client's own cost.
    bool raw_caller_too = false;
    // Also run our client, broker and worker with batch frames refused:
    // the difference is what batching buys.
    bool unbatched_too = false;
    // Also run ours with the broker's /metrics on and scraped every second
    // (docs/metrics.md): the difference is what metrics cost.
    bool metrics_too = false;
    // Also run ours with CURVE on every connection (docs/security.md): the
    // difference is what encryption and authentication cost.
    bool curve_too = false;
};

enum class caller_kind { client, raw };

// The plan of a scenario from the command line's --requests, --seconds and
// --idempotent; callers and inflight are the scenario's own.
load_plan plan_from(const bench_options& options, int callers, int inflight, std::size_t size);

// A short run before the measured one, not counted: connections, caches and
// allocators warm, for the baseline and for us alike.
load_plan warm_up_plan(load_plan plan);

run_result run_relay(const relay_case& c, const load_plan& plan);

// Our stack under `plan`: an in-process broker (or --broker), echo workers
// (or --service, served by someone else, driven by a plain MDP caller), and
// our client as the caller, or a raw caller sending the same frames.
run_result run_ours(const bench_options& options, const echo_plan& ours, const load_plan& plan,
                    caller_kind caller);

scenario_result run_comparison(const bench_options& options, const comparison& c);

}  // namespace skynet::bench
