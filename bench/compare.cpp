#include "compare.hpp"

#include <algorithm>
#include <memory>
#include <optional>

#include "curve_keys.hpp"
#include "scraper.hpp"

namespace skynet::bench {

namespace {

constexpr std::chrono::seconds warm_up_limit{10};
const std::string echo_service = "bench-echo";

run_result failed(std::string label, std::string why) {
    run_result r;
    r.label = std::move(label);
    r.note = std::move(why);
    return r;
}

}  // namespace

load_plan warm_up_plan(load_plan plan) {
    plan.requests = 0;
    plan.seconds = std::min(0.2, plan.seconds / 5);
    return plan;
}

load_plan plan_from(const bench_options& options, int callers, int inflight, std::size_t size) {
    load_plan p;
    p.callers = callers;
    p.inflight = inflight;
    p.size = size;
    p.seconds = options.seconds;
    p.requests = options.requests;
    p.idempotent = options.idempotent;
    return p;
}

run_result run_relay(const relay_case& c, const load_plan& plan) {
    // A context (and so an I/O thread) for every party, relay, each worker
    // and each caller, as if each were its own process: so are ours.
    zmq::context_t relay_context(1);
    relay r(relay_context, c.mode);
    std::vector<std::unique_ptr<relay_worker>> workers;
    for (int i = 0; i < c.workers; ++i) {
        workers.push_back(std::make_unique<relay_worker>(r.endpoint(), c.connections));
    }
    const auto expected = static_cast<std::uint64_t>(c.workers * c.connections);
    if (!wait_until([&] { return r.workers() >= expected; }, warm_up_limit)) {
        return failed(c.label, "relay workers did not connect");
    }
    raw_target target{r.endpoint(), false, {}, false};
    if (mdp_framed(c.mode)) {
        target = {r.endpoint(), true, echo_service, true};
    }
    run_raw_load(target, warm_up_plan(plan));
    const auto cpu0 = r.cpu();
    const auto all0 = this_process_cpu();
    auto result = run_raw_load(target, plan);
    result.process_cpu = this_process_cpu() - all0;
    result.broker_cpu = r.cpu() - cpu0;
    result.label = c.label;
    return result;
}

// How many requests and replies shared a frame: what batching bought.
std::string batching_note(const broker_stats& before, const broker_stats& after) {
    const auto frames = (after.batches_received - before.batches_received) +
                        (after.batches_sent - before.batches_sent);
    if (frames == 0) {
        return "no batch frames";
    }
    // Each request crosses the broker twice each way: in and out, then its
    // reply in and out.
    const auto records = 4 * (after.replies - before.replies);
    char text[64];
    std::snprintf(text, sizeof text, "%.1f records per batch frame",
                  static_cast<double>(records) / static_cast<double>(frames));
    return text;
}

run_result run_ours(const bench_options& options, const echo_plan& ours, const load_plan& plan,
                    caller_kind caller) {
    std::optional<inproc_broker> local;
    if (options.broker.empty()) {
        broker_options broker;
        broker.batching = !ours.unbatched;
        if (ours.metrics) {
            broker.metrics_listen = "127.0.0.1:0";
        }
        if (ours.curve) {
            ours.curve->apply(broker);
        }
        local.emplace(broker);
    }
    const auto endpoint = local ? local->endpoint() : options.broker;
    if (!options.service.empty() && options.envelope) {
        // A worker of ours elsewhere (another process, another language).
        run_skynet_load(endpoint, options.service, warm_up_plan(plan));
        auto r = run_skynet_load(endpoint, options.service, plan);
        r.label = "skynet";
        return r;
    }
    if (!options.service.empty()) {
        // Someone else's service: a plain MDP caller, like for like with any broker.
        const raw_target target{endpoint, true, options.service, false};
        run_raw_load(target, warm_up_plan(plan));
        auto r = run_raw_load(target, plan);
        r.label = "plain MDP client";
        return r;
    }
    echo_workers workers(endpoint, echo_service, ours);
    if (!workers.wait_ready(warm_up_limit) ||
        !warm_up(endpoint, echo_service, warm_up_limit, ours.curve.get())) {
        return failed("skynet", "our echo worker did not answer within 10 s");
    }
    const raw_target raw{endpoint, true, echo_service, true};
    auto load = [&](load_plan p) {
        p.curve = ours.curve;
        return caller == caller_kind::raw ? run_raw_load(raw, p)
                                          : run_skynet_load(endpoint, echo_service, p);
    };
    load(warm_up_plan(plan));
    const auto cpu0 = local ? local->cpu() : std::chrono::nanoseconds(0);
    const auto stats0 = local ? local->stats() : broker_stats{};
    const auto all0 = this_process_cpu();
    std::optional<periodic_scraper> scraper;
    if (local && ours.metrics) {
        scraper.emplace(local->metrics_address(), std::chrono::milliseconds(1000));
    }
    auto result = load(plan);
    if (local) {
        // With a broker elsewhere, its CPU would be missing from the process's.
        result.process_cpu = this_process_cpu() - all0;
        result.broker_cpu = local->cpu() - cpu0;
        result.note = batching_note(stats0, local->stats());
    }
    if (caller == caller_kind::raw) {
        result.label = "raw caller, our broker+worker";
    } else if (ours.unbatched) {
        result.label = "skynet, no batch frames";
    } else if (ours.curve) {
        result.label = "skynet, CURVE";
    } else if (ours.metrics) {
        result.label = "skynet, metrics on";
        result.note += "; " + std::to_string(scraper ? scraper->scrapes() : 0) +
                       " scrapes of /metrics during the run";
    }
    return result;
}

scenario_result run_comparison(const bench_options& options, const comparison& c) {
    scenario_result s;
    s.name = c.name;
    s.description = c.description;
    for (const auto& b : c.baselines) {
        s.runs.push_back(run_relay(b, c.plan));
    }
    s.reference = c.reference;
    if (c.raw_caller_too && options.broker.empty() && options.service.empty()) {
        s.runs.push_back(run_ours(options, c.ours, c.plan, caller_kind::raw));
    }
    if (c.unbatched_too && options.broker.empty() && options.service.empty()) {
        auto unbatched = c.ours;
        unbatched.unbatched = true;
        s.runs.push_back(run_ours(options, unbatched, c.plan, caller_kind::client));
    }
    if (c.metrics_too && options.broker.empty() && options.service.empty()) {
        auto metered = c.ours;
        metered.metrics = true;
        s.runs.push_back(run_ours(options, metered, c.plan, caller_kind::client));
    }
    if (c.curve_too && options.broker.empty() && options.service.empty()) {
        auto secured = c.ours;
        secured.curve = curve_keys::make();
        s.runs.push_back(run_ours(options, secured, c.plan, caller_kind::client));
    }
    auto ours = run_ours(options, c.ours, c.plan, caller_kind::client);
    if (ours.label.empty()) {
        ours.label = c.our_label;
    }
    s.runs.push_back(std::move(ours));
    s.measured = static_cast<int>(s.runs.size()) - 1;
    return s;
}

}  // namespace skynet::bench
