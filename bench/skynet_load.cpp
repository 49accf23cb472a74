// Our client as the load: synchronous callers on their own threads, or
// asynchronous calls kept in flight from the client's callbacks.
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "curve_keys.hpp"
#include "load.hpp"
#include "skynet/client/client.hpp"

namespace skynet::bench {

namespace {

using clock_type = std::chrono::steady_clock;

struct window {
    clock_type::time_point start;
    clock_type::time_point end;
};

client_options client_for(const std::string& endpoint, const load_plan& plan) {
    client_options o;
    if (plan.redis.empty()) {
        o.brokers = {endpoint};
    } else {
        o.redis = plan.redis;
        o.region = plan.region;
    }
    o.name = "skynet-bench";
    o.default_timeout = plan.timeout;
    if (plan.curve) {
        plan.curve->apply(o);
    }
    return o;
}

bus::bson_doc payload(std::size_t size) {
    bus::bson_doc params;
    params.add_string("data", std::string(size, 'x'));
    return params;
}

void add_into(run_result& total, const run_result& part) {
    total.completed += part.completed;
    total.latency.merge(part.latency);
    for (std::size_t k = 0; k < total.outcomes.size(); ++k) {
        total.outcomes[k] += part.outcomes[k];
    }
}

// One client's calls in flight. Everything but the atomics is touched only
// by the client's network thread, where every callback runs.
struct async_caller : std::enable_shared_from_this<async_caller> {
    async_caller(const std::string& endpoint, const std::string& svc, const load_plan& p)
        : plan(p), service(svc), params(payload(p.size)) {
        bus.emplace(client_for(endpoint, p));
        options.idempotent = p.idempotent;
    }

    void issue() {
        ++sent;
        outstanding.fetch_add(1);
        const auto start = clock_type::now();
        bus->call_async(
            service, "echo", params.view(), options,
            [self = shared_from_this(), start](call_result r) { self->on_done(start, r.code()); });
    }

    void on_done(clock_type::time_point start, bus::errc code) {
        const auto now = clock_type::now();
        result.latency.record(now - start);
        ++result.outcomes[static_cast<int>(code)];
        if (code == bus::errc::ok && (plan.requests || now <= w.end)) {
            ++result.completed;
        }
        last_reply = now;
        const bool more =
            !stopping.load() && (plan.requests ? sent.load() < plan.requests : now < w.end);
        if (more) {
            issue();
        }
        outstanding.fetch_sub(1, std::memory_order_release);
    }

    const load_plan& plan;
    std::string service;
    bus::bson_doc params;
    call_options options;
    std::optional<client> bus;
    window w;
    std::atomic<bool> stopping{false};
    std::atomic<std::uint64_t> sent{0};
    std::atomic<std::uint64_t> outstanding{0};
    run_result result;
    clock_type::time_point last_reply{};
};

run_result run_async(const std::string& endpoint, const std::string& service,
                     const load_plan& plan) {
    std::vector<std::shared_ptr<async_caller>> callers;
    for (int i = 0; i < plan.callers; ++i) {
        callers.push_back(std::make_shared<async_caller>(endpoint, service, plan));
    }
    window w{clock_type::now(), {}};
    w.end = w.start + std::chrono::duration_cast<clock_type::duration>(
                          std::chrono::duration<double>(plan.seconds));
    for (auto& c : callers) {
        c->w = w;
        for (int k = 0; k < plan.inflight && (!plan.requests || c->sent < plan.requests); ++k) {
            c->issue();
        }
    }
    const auto give_up = (plan.requests ? w.start : w.end) + plan.timeout + plan.timeout / 2;
    run_result total;
    auto last = w.start;
    for (auto& c : callers) {
        while (c->outstanding.load(std::memory_order_acquire) > 0 && clock_type::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        total.unanswered += c->outstanding.load();
    }
    // A client that did not answer in time ends its calls when destroyed;
    // after that nothing touches the callers' results.
    for (auto& c : callers) {
        c->stopping = true;
        c->bus.reset();
        add_into(total, c->result);
        last = std::max(last, c->last_reply);
    }
    total.seconds = std::chrono::duration<double>((plan.requests ? last : w.end) - w.start).count();
    return total;
}

// One synchronous caller: its own client, one call at a time until `end`.
void sync_caller(const std::string& endpoint, const std::string& service, const load_plan& plan,
                 clock_type::time_point end, run_result& out) {
    client bus(client_for(endpoint, plan));
    auto params = payload(plan.size);
    call_options options;
    options.idempotent = plan.idempotent;
    for (std::uint64_t n = 0; plan.requests ? n < plan.requests : true; ++n) {
        const auto t0 = clock_type::now();
        if (!plan.requests && t0 >= end) {
            break;
        }
        const auto code = bus.call(service, "echo", params.view(), options).code();
        const auto t1 = clock_type::now();
        out.latency.record(t1 - t0);
        ++out.outcomes[static_cast<int>(code)];
        out.completed += (code == bus::errc::ok && (plan.requests || t1 <= end));
    }
}

run_result run_sync(const std::string& endpoint, const std::string& service,
                    const load_plan& plan) {
    std::vector<run_result> parts(static_cast<std::size_t>(plan.callers));
    const auto start = clock_type::now();
    const auto end = start + std::chrono::duration_cast<clock_type::duration>(
                                 std::chrono::duration<double>(plan.seconds));
    {
        std::vector<std::jthread> threads;
        for (auto& part : parts) {
            threads.emplace_back(
                [&, out = &part] { sync_caller(endpoint, service, plan, end, *out); });
        }
    }
    run_result total;
    for (auto& part : parts) {
        add_into(total, part);
    }
    // With --requests, the window is however long the callers took.
    const auto stop = plan.requests ? clock_type::now() : end;
    total.seconds = std::chrono::duration<double>(stop - start).count();
    return total;
}

}  // namespace

run_result run_skynet_load(const std::string& endpoint, const std::string& service,
                           const load_plan& plan) {
    return plan.inflight <= 1 ? run_sync(endpoint, service, plan)
                              : run_async(endpoint, service, plan);
}

}  // namespace skynet::bench
