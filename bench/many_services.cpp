// Dispatch must stay O(1): the same load on the same broker, first with one
// service, then with 10,000 services and 1,000 more workers registered by
// idle plain 7/MDP workers held in other processes. Those workers heartbeat
// as 7/MDP asks, and on a small machine their heartbeats cost more than the
// dispatch does; so the fleet is measured twice, with the default heartbeat
// and with one four times longer, as a broker of that size would be set up.
#include <optional>
#include <string_view>

#include "compare.hpp"
#include "fleet.hpp"
#include "scenarios.hpp"

namespace skynet::bench {

namespace {

const std::string service = "bench-echo";
constexpr std::chrono::milliseconds default_heartbeat{2500};
constexpr std::chrono::milliseconds long_heartbeat{10000};

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
    const bool all =
        wait_until([&] { return broker.stats().workers >= expected; }, std::chrono::seconds(60));
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

// The load measured on `broker` while the idle fleet is registered there,
// heartbeating at the broker's interval; nullopt (with `why`) if the fleet
// could not be put in place.
std::optional<run_result> measured_beside_fleet(inproc_broker& broker, const bench_options& o,
                                                const load_plan& plan,
                                                std::chrono::milliseconds heartbeat,
                                                std::string label, std::string& why) {
    const auto ms = static_cast<int>(heartbeat.count());
    const holder_group fleet(std::vector<holder_spec>{
        {"workers", broker.endpoint(), o.services, "", "idle", ms},
        {"workers", broker.endpoint(), o.workers, "idle-pool", "idle", ms}});
    why = fleet.error().empty() ? registered(broker, o) : fleet.error();
    if (!why.empty()) {
        return std::nullopt;
    }
    const auto holders_cpu0 = fleet.cpu();
    auto r = measured(broker, plan, std::move(label));
    r.note = holders_note(fleet.cpu() - holders_cpu0);
    return r;
}

// A broker with `heartbeat`, and our echo worker on it, answering.
struct served_broker {
    explicit served_broker(const bench_options& o, std::chrono::milliseconds heartbeat)
        : broker(with_heartbeat(heartbeat)),
          ours(broker.endpoint(), service,
               {1, false, static_cast<std::uint32_t>(o.inflight), false, heartbeat}) {}

    bool answering() {
        return ours.wait_ready(std::chrono::seconds(10)) &&
               warm_up(broker.endpoint(), service, std::chrono::seconds(10));
    }

    static broker_options with_heartbeat(std::chrono::milliseconds heartbeat) {
        broker_options options;
        options.heartbeat = heartbeat;
        return options;
    }

    inproc_broker broker;
    echo_workers ours;
};

std::string fleet_label(const bench_options& o, std::string_view what) {
    return "skynet, " + std::to_string(o.services) + " services" + std::string(what);
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
    const auto plan = plan_from(o, 1, o.inflight, o.size);
    {
        served_broker usual(o, default_heartbeat);
        if (!usual.answering()) {
            s.skipped = "our echo worker did not answer within 10 s";
            return s;
        }
        s.runs.push_back(measured(usual.broker, plan, "skynet, 1 service"));
        auto fleet = measured_beside_fleet(usual.broker, o, plan, default_heartbeat,
                                           fleet_label(o, ""), s.skipped);
        if (!fleet) {
            return s;
        }
        s.runs.push_back(std::move(*fleet));
        s.note = "broker knows " + std::to_string(usual.broker.stats().services) + " services";
    }
    s.reference = 0;
    s.measured = 1;
    // The same fleet with heartbeats four times apart: what is left is the
    // dispatch, and the connections themselves.
    // The headline runs stand if this one fails; the note says why.
    served_broker quieter(o, long_heartbeat);
    std::string why = "our echo worker did not answer within 10 s";
    if (quieter.answering()) {
        auto fleet = measured_beside_fleet(quieter.broker, o, plan, long_heartbeat,
                                           fleet_label(o, ", 10 s heartbeats"), why);
        if (fleet) {
            s.runs.push_back(std::move(*fleet));
            return s;
        }
    }
    s.note += "; not measured with 10 s heartbeats: " + why;
    return s;
}

}  // namespace skynet::bench
