#include "registration.hpp"

#include <unistd.h>

#include <stdexcept>

#include "skynet/bus/origin.hpp"
#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/options.hpp"

namespace skynet::worker_detail {

namespace {

// How long a broker may be missing from the registry before we leave it:
// leaving a live broker would cost the requests we hold there, and a Redis
// restart that lost its data reports every broker removed until it registers
// again (within lease/3 and a backoff).
constexpr std::chrono::seconds leave_grace{6};

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += out.empty() ? "" : ",";
        out += name;
    }
    return out;
}

registry::options registry_options(const std::string& url, const std::string& prefix) {
    auto parsed = registry::options_from_url(url, prefix);
    if (!parsed) {
        throw std::invalid_argument("worker: redis: " + parsed.err().detail);
    }
    return *parsed;
}

}  // namespace

registration::registration(const worker_options& options, std::vector<std::string> methods,
                           std::shared_ptr<shared_state> state, std::function<void()> stop)
    : options_(options), state_(std::move(state)) {
    const auto settings = registry_options(options.redis, options.redis_prefix);
    registry::instance record;
    record.id = state_->instance_id;
    record.kind = registry::instance_kind::worker;
    record.service = options.service;
    record.version = options.version;
    record.region = options.region;
    record.host = options.host.empty() ? bus::local_host_name() : options.host;
    record.pid = ::getpid();
    record.broker = joined(options.brokers);
    record.methods = std::move(methods);
    record.managed_by = options.managed_by;
    registry::registrar_settings lease;
    lease.lease = options.lease;
    registrar_ = std::make_unique<registry::registrar>(settings, std::move(record), lease);
    take_commands(std::move(stop));
    state_->drain.listen(
        [this] { registrar_->update([](registry::instance& r) { r.draining = true; }); });
    if (options.brokers.empty()) {
        // The registered brokers of our region (one that is not registered
        // is closing: it counts as gone).
        registry::directory_policy policy{.region = options.region,
                                          .region_only = true,
                                          .registered_only = true,
                                          .grace = leave_grace,
                                          .curve_key = options.broker_key};
        brokers_ = std::make_unique<registry::broker_follower>(
            settings, std::move(policy), [this](const std::vector<registry::broker_entry>& b) {
                try {
                    serve_on(b);
                } catch (...) {
                    log_escaped("registry broker list");
                }
            });
    }
    figures_thread_ = std::thread([this] {
        try {
            publish_figures();
        } catch (...) {
            log_escaped("registry figures thread; figures are no longer published");
        }
    });
}

registration::~registration() {
    state_->drain.listen({});
    {
        std::lock_guard lock(figures_mutex_);
        stopping_ = true;
    }
    figures_wake_.notify_all();
    figures_thread_.join();
    brokers_.reset();
    registrar_.reset();  // removes the record
}

void registration::take_commands(std::function<void()> stop) {
    // On the registrar's command thread: each only asks and returns.
    registry::command_handlers handlers;
    handlers.register_ = [this] {
        state_->control.push(control_change{std::nullopt, true});
        registrar_->set_registered(true);
    };
    handlers.unregister = [this] {
        state_->control.push(control_change{std::nullopt, false});
        registrar_->set_registered(false);
    };
    handlers.stop = stop;
    handlers.restart = stop;  // a host daemon restarts what exits; none: it stays stopped
    handlers.log_level = [](const std::string& level) { return runtime::try_set_log_level(level); };
    registrar_->handle_commands(std::move(handlers));
}

void registration::serve_on(const std::vector<registry::broker_entry>& brokers) {
    std::vector<std::string> endpoints;
    for (const auto& b : brokers) {
        endpoints.push_back(b.endpoint);  // one per endpoint, sorted
    }
    if (endpoints == endpoints_) {
        return;  // only what a broker serves changed
    }
    endpoints_ = endpoints;
    runtime::logger_for("worker")->info("brokers of region={} now: {}", options_.region,
                                        joined(endpoints));
    registrar_->update([&](registry::instance& r) { r.broker = joined(endpoints); });
    state_->control.push(control_change{std::move(endpoints), std::nullopt});
}

void registration::publish_figures() {
    auto earlier = state_->latency.take();
    std::unique_lock lock(figures_mutex_);
    while (!figures_wake_.wait_for(lock, options_.stats_interval, [&] { return stopping_; })) {
        auto later = state_->latency.take();
        auto figures = worker_detail::latency_histogram::between(earlier, later);
        earlier = later;
        if (later.requests == last_figures_count_) {
            figures = last_figures_;  // an idle interval: keep the last figures seen
        }
        last_figures_ = figures;
        last_figures_count_ = later.requests;
        registry::instance_stats stats;
        const auto counters = state_->stats.snapshot();
        stats.requests = counters.requests;
        stats.errors = counters.errors;
        stats.latency_avg_us = figures.average_us;
        stats.latency_p99_us = figures.p99_us;
        stats.latency_p50_us = figures.p50_us;
        stats.latency_p95_us = figures.p95_us;
        stats.last_error = state_->methods.last_error();
        if (auto last = state_->last_request_ns.load(std::memory_order_relaxed); last != 0) {
            // Steady time to wall time: the same age, counted back from now.
            const auto age = bus::clock::now().time_since_epoch() - std::chrono::nanoseconds(last);
            stats.last_request_at =
                registry::wall_clock_ms() -
                std::chrono::duration_cast<std::chrono::milliseconds>(age).count();
        }
        registrar_->set_stats(stats);
    }
}

}  // namespace skynet::worker_detail
