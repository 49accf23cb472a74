#include "scenarios.hpp"

#include <algorithm>

#include "compare.hpp"
#include "skynet/bus/batch.hpp"

namespace skynet::bench {

namespace {

// Bytes in flight stay under this, so that 256 KiB payloads do not need
// gigabytes: the in-flight count shrinks instead.
constexpr std::size_t bytes_in_flight_max = 16 << 20;

const relay_case relay_unlimited{"relay, unlimited", relay_mode::unlimited, 1, 1};
const relay_case relay_mdp_frames{"relay, 7/MDP frames", relay_mode::mdp_frames, 1, 1};

comparison sync_1x1(const bench_options& o) {
    comparison c{"sync-1x1",
                 "1 client x 1 worker, one call at a time",
                 plan_from(o, 1, 1, o.size),
                 {relay_unlimited, relay_mdp_frames},
                 0,
                 {1, false, 0}};
    c.raw_caller_too = true;
    return c;
}

comparison sync_4x4(const bench_options& o) {
    comparison c{"sync-4x4",
                 "4 clients x 4 workers, one call at a time each",
                 plan_from(o, 4, 1, o.size),
                 {{"relay, 4 workers", relay_mode::unlimited, 4, 1},
                  {"relay, 7/MDP frames, 4 workers", relay_mode::mdp_frames, 4, 1}},
                 0,
                 {4, false, 0}};
    c.curve_too = true;
    return c;
}

comparison async_plain_1(const bench_options& o) {
    return {"async-plain-1",
            std::to_string(o.inflight) + " in flight, one plain 7/MDP worker connection",
            plan_from(o, 1, o.inflight, o.size),
            {{"relay, 1 per conn, 1 conn", relay_mode::one_per_connection, 1, 1},
             {"relay, 7/MDP, 1/conn, 1 conn", relay_mode::mdp_frames_one_per_connection, 1, 1},
             relay_unlimited},
            0,
            {1, true, 1},
            "skynet, plain worker"};
}

comparison async_plain_32(const bench_options& o) {
    return {"async-plain-32",
            std::to_string(o.inflight) + " in flight, our worker with 32 plain connections",
            plan_from(o, 1, o.inflight, o.size),
            {{"relay, 1 per conn, 32 conns", relay_mode::one_per_connection, 1, 32},
             {"relay, 7/MDP, 1/conn, 32 conns", relay_mode::mdp_frames_one_per_connection, 1, 32}},
            0,
            {1, true, 32},
            "skynet, 32 plain conns"};
}

comparison async_credit(const bench_options& o, std::size_t size, std::string name) {
    const auto most = static_cast<std::size_t>(o.inflight);
    const auto fit = std::clamp<std::size_t>(bytes_in_flight_max / size, 1, most);
    const int inflight = static_cast<int>(fit);
    const auto credit = static_cast<std::uint32_t>(inflight);
    comparison c{std::move(name),
                 std::to_string(inflight) + " in flight, " + std::to_string(size) +
                     " B, our worker with negotiated credit " + std::to_string(credit),
                 plan_from(o, 1, inflight, size),
                 {relay_unlimited, relay_mdp_frames},
                 0,
                 {1, false, credit},
                 "skynet, credit"};
    c.raw_caller_too = true;
    c.unbatched_too = size < bus::batch::record_limit;  // larger ones travel alone anyway
    c.metrics_too = c.name == "async-credit";
    c.curve_too = c.name == "async-credit";
    return c;
}

scenario compared(std::string name, std::string summary,
                  std::function<comparison(const bench_options&)> make) {
    return {
        std::move(name), std::move(summary), false,
        [make = std::move(make)](const bench_options& o) { return run_comparison(o, make(o)); }};
}

}  // namespace

std::vector<scenario> all_scenarios() {
    std::vector<scenario> list;
    list.push_back(compared("sync-1x1", "synchronous, 1 client x 1 worker", sync_1x1));
    list.push_back(compared("sync-4x4", "synchronous, 4 clients x 4 workers", sync_4x4));
    list.push_back(compared("async-plain-1", "async, one plain 7/MDP connection", async_plain_1));
    list.push_back(compared("async-plain-32", "async, 32 plain connections", async_plain_32));
    list.push_back(
        compared("async-credit", "async, negotiated credit, --size bytes",
                 [](const bench_options& o) { return async_credit(o, o.size, "async-credit"); }));
    list.push_back(compared("payload-4k", "async credit, 4 KiB", [](const bench_options& o) {
        return async_credit(o, 4096, "payload-4k");
    }));
    list.push_back(compared("payload-256k", "async credit, 256 KiB", [](const bench_options& o) {
        return async_credit(o, 256 * 1024, "payload-256k");
    }));
    list.push_back(
        {"many-services", "10,000 services and 1,000 workers registered", true, run_many_services});
    list.push_back({"metrics-scrape", "GET /metrics of a broker knowing 10,000 services", true,
                    run_metrics_scrape});
    list.push_back({"fibonacci", "composite call: fib(20) through the bus", false, run_fibonacci});
    return list;
}

}  // namespace skynet::bench
