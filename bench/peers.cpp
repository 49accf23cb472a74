#include "peers.hpp"

#include <algorithm>

#include "curve_keys.hpp"
#include "skynet/client/client.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet::bench {

namespace {

broker_options local(broker_options o) {
    o.bind = "tcp://127.0.0.1:*";
    // A bench ends its runs drained; a stop need not wait for stragglers.
    o.drain_timeout = std::chrono::milliseconds(200);
    o.farewell = std::chrono::milliseconds(100);
    return o;
}

}  // namespace

inproc_broker::inproc_broker(broker_options options)
    : broker_(local(std::move(options)), context_) {
    thread_ = std::thread([this] {
        runtime::name_this_thread("bench-broker");
        broker_.run();
    });
    cpu_ = thread_cpu_clock(thread_.native_handle());
}

inproc_broker::~inproc_broker() {
    broker_.stop();
    thread_.join();
}

echo_workers::echo_workers(const std::string& endpoint, const std::string& service,
                           const echo_plan& plan) {
    for (int i = 0; i < plan.workers; ++i) {
        worker_options o;
        o.service = service;
        o.brokers = {endpoint};
        o.plain = plan.plain;
        o.credit = plan.credit;
        o.heartbeat = plan.heartbeat;
        o.drain_timeout = std::chrono::milliseconds(500);
        if (plan.curve) {
            plan.curve->apply(o);
        }
        auto w = std::make_unique<worker>(std::move(o));
        w->handle(
            "echo", [](const request& r) { return bus::bson_doc::copy_of(r.params()); },
            run_on::io_thread);
        w->hooks().registered = [ready = ready_](const std::string&) { ready->fetch_add(1); };
        workers_.push_back(std::move(w));
    }
    // 7/MDP: a plain worker opens one connection per request it may hold
    // (the worker caps them at 64); ours negotiate one connection.
    const int per_worker =
        plan.plain
            ? static_cast<int>(std::clamp<std::uint32_t>(plan.credit ? plan.credit : 4, 1, 64))
            : 1;
    expected_ = per_worker * plan.workers;
    for (auto& w : workers_) {
        w->start();
    }
}

echo_workers::~echo_workers() {
    for (auto& w : workers_) {
        w->stop();
    }
    for (auto& w : workers_) {
        w->wait();
    }
}

bool echo_workers::wait_ready(std::chrono::milliseconds limit) const {
    return wait_until([this] { return ready_->load() >= expected_; }, limit);
}

bool warm_up(const std::string& endpoint, const std::string& service,
             std::chrono::milliseconds limit, const curve_keys* curve) {
    client_options o;
    o.brokers = {endpoint};
    o.name = "skynet-bench-warm-up";
    if (curve != nullptr) {
        curve->apply(o);
    }
    client c(o);
    bus::bson_doc params;
    params.add_string("data", "warm-up");
    call_options options;
    options.timeout = std::chrono::milliseconds(1000);
    return wait_until([&] { return c.call(service, "echo", params.view(), options).ok(); }, limit);
}

}  // namespace skynet::bench
