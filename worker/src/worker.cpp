#include "skynet/worker/worker.hpp"

#include <stdexcept>
#include <thread>

#include "handler_pool.hpp"
#include "handler_table.hpp"
#include "io_loop.hpp"
#include "registration.hpp"
#include "shared_state.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/bus/origin.hpp"
#include "skynet/bus/service_name.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/runtime/event_fd.hpp"
#include "skynet/runtime/options.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet {

using namespace worker_detail;

struct worker::impl {
    worker_options options;
    handler_table handlers;
    std::shared_ptr<shared_state> state = std::make_shared<shared_state>();
    std::unique_ptr<handler_pool> pool;
    std::unique_ptr<io_loop> loop;
    std::unique_ptr<registration> registered;  // with options.redis only
    // stop() signals it: it lives as long as the worker, so that a signal
    // handler can always use it.
    runtime::event_fd stop_signal{"worker stop"};
    std::thread thread;
    bool started = false;
};

namespace {

void check(const worker_options& o) {
    auto fail = [](const std::string& why) { throw std::invalid_argument("worker: " + why); };
    if (o.service.empty() || o.service.find('@') != std::string::npos ||
        bus::mmi::is_internal(o.service)) {
        fail("service name must be non-empty, without '@', and not start with 'mmi.'");
    }
    if (o.brokers.empty() && o.redis.empty()) {
        fail("at least one broker endpoint is needed, or a registry to find them in");
    }
    if (o.stats_interval.count() <= 0) {
        fail("stats_interval must be positive");
    }
    if (o.concurrency < 1 || o.liveness < 1 || o.heartbeat.count() <= 0) {
        fail("concurrency, liveness and heartbeat must be positive");
    }
    if (o.reconnect_min.count() <= 0 || o.reconnect_max < o.reconnect_min) {
        fail("reconnect_min must be positive and at most reconnect_max");
    }
}

}  // namespace

worker::worker(worker_options options) : impl_(std::make_unique<impl>()) {
    check(options);
    impl_->options = std::move(options);
    const auto& host = impl_->options.host;
    impl_->state->instance_id = registry::make_instance_id(
        registry::instance_kind::worker, host.empty() ? bus::local_host_name() : host);
}

worker::~worker() {
    stop();
    wait();
}

void worker::handle(std::string method, handler fn, run_on where) {
    handler_entry entry;
    entry.type = handler_entry::kind::sync;
    entry.where = where;
    entry.sync = std::move(fn);
    impl_->handlers.add(std::move(method), std::move(entry));
}

void worker::handle_async(std::string method, async_handler fn) {
    handler_entry entry;
    entry.type = handler_entry::kind::async;
    entry.where = run_on::io_thread;
    entry.async = std::move(fn);
    impl_->handlers.add(std::move(method), std::move(entry));
}

void worker::handle_raw(raw_handler fn, run_on where) {
    handler_entry entry;
    entry.type = handler_entry::kind::raw;
    entry.where = where;
    entry.raw = std::move(fn);
    impl_->handlers.set_raw(std::move(entry));
}

worker_hooks& worker::hooks() noexcept {
    return impl_->state->hooks;
}

void worker::start() {
    if (impl_->started) {
        throw std::logic_error("worker: start() called twice");
    }
    if (!impl_->handlers.has_methods() && impl_->handlers.raw() == nullptr) {
        throw std::logic_error("worker: no handler registered");
    }
    impl_->started = true;
    impl_->pool = std::make_unique<handler_pool>(impl_->options.concurrency, *impl_->state);
    const bus::service_name announced(impl_->options.service, impl_->options.version);
    impl_->loop = std::make_unique<io_loop>(impl_->options, announced, impl_->state,
                                            impl_->handlers, *impl_->pool, impl_->stop_signal);
    impl_->thread = std::thread([this] {
        runtime::name_this_thread("skynet-worker");
        impl_->loop->run();
    });
    if (!impl_->options.redis.empty()) {
        impl_->registered = std::make_unique<registration>(
            impl_->options, impl_->handlers.methods(), impl_->state, [this] { stop(); });
    }
}

void worker::stop() noexcept {
    impl_->stop_signal.signal();
}

void worker::wait() {
    if (impl_->thread.joinable()) {
        impl_->thread.join();
    }
    impl_->registered.reset();  // drained: now out of the registry
    // Handler threads finish what they hold; their replies have nowhere to go.
    impl_->pool.reset();
    impl_->loop.reset();
}

void worker::run() {
    start();
    wait();
}

worker_stats worker::stats() const noexcept {
    return impl_->state->stats.snapshot();
}

std::string prometheus_text(const worker_stats& stats) {
    static constexpr auto table = SKYNET_COUNTER_TABLE(worker_stats, SKYNET_WORKER_COUNTERS);
    std::string out;
    runtime::write_prometheus(table, stats, "skynet_worker", out);
    return out;
}

void worker::set_registered(bool registered) {
    impl_->state->control.push(control_change{std::nullopt, registered});
    if (impl_->registered) {
        impl_->registered->set_registered(registered);
    }
}

const std::string& worker::instance_id() const noexcept {
    return impl_->state->instance_id;
}

const worker_options& worker::options() const noexcept {
    return impl_->options;
}

std::string worker::announced_name() const {
    return bus::join_service_name(impl_->options.service, impl_->options.version);
}

}  // namespace skynet
