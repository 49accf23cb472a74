// Dispatch must stay O(1): the same load on the same broker, first with one
// service, then with 10,000 services and 1,000 more workers registered by
// idle plain 7/MDP workers held in other processes.
#include "compare.hpp"
#include "fleet.hpp"
#include "scenarios.hpp"

namespace skynet::bench {

namespace {

const std::string service = "bench-echo";

run_result measured(inproc_broker& broker, const load_plan& plan, std::string label) {
    run_skynet_load(broker.endpoint(), service, warm_up_plan(plan));
    const auto cpu0 = broker.cpu();
    auto r = run_skynet_load(broker.endpoint(), service, plan);
    r.broker_cpu = broker.cpu() - cpu0;
    r.label = std::move(label);
    return r;
}

std::string registered(inproc_broker& broker, const bench_options& o) {
    const auto expected = static_cast<std::uint64_t>(o.services + o.workers + 1);
    const bool all = wait_until([&] { return broker.stats().workers >= expected; },
                                std::chrono::seconds(60));
    if (!all) {
        return "only " + std::to_string(broker.stats().workers) + " of " +
               std::to_string(expected) + " workers registered within 60 s";
    }
    return {};
}

// The idle workers' processes share the machine with the measured run.
std::string holders_note(std::chrono::nanoseconds cpu) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(cpu).count();
    return "the processes holding the idle workers used " + std::to_string(ms) +
           " ms CPU during this run";
}

}  // namespace

scenario_result run_many_services(const bench_options& o) {
    scenario_result s;
    s.name = "many-services";
    s.description = std::to_string(o.services) + " services (one idle worker each) and " +
                    std::to_string(o.workers) + " more idle workers of one service";
    if (auto why = fd_shortfall(static_cast<std::uint64_t>(o.services + o.workers) + 512);
        !why.empty()) {
        s.skipped = why;
        return s;
    }
    inproc_broker broker;
    const std::uint32_t credit = static_cast<std::uint32_t>(o.inflight);
    echo_workers ours(broker.endpoint(), service, {1, false, credit});
    if (!ours.wait_ready(std::chrono::seconds(10)) ||
        !warm_up(broker.endpoint(), service, std::chrono::seconds(10))) {
        s.skipped = "our echo worker did not answer within 10 s";
        return s;
    }
    const auto plan = plan_from(o, 1, o.inflight, o.size);
    s.runs.push_back(measured(broker, plan, "skynet, 1 service"));
    holder_group services({"workers", broker.endpoint(), o.services, "", "idle", 2500});
    holder_group pool({"workers", broker.endpoint(), o.workers, "idle-pool", "idle", 2500});
    if (!services.error().empty() || !pool.error().empty()) {
        s.skipped = services.error().empty() ? pool.error() : services.error();
        return s;
    }
    if (auto why = registered(broker, o); !why.empty()) {
        s.skipped = why;
        return s;
    }
    const auto holders_cpu0 = services.cpu() + pool.cpu();
    s.runs.push_back(measured(broker, plan, "skynet, " + std::to_string(o.services) +
                                                " services"));
    s.runs.back().note = holders_note(services.cpu() + pool.cpu() - holders_cpu0);
    s.reference = 0;
    s.measured = 1;
    s.note = "broker knows " + std::to_string(broker.stats().services) + " services";
    return s;
}

}  // namespace skynet::bench
