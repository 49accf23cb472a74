#include "skynet/worker/worker.hpp"

#include <stdexcept>
#include <thread>

#include "handler_pool.hpp"
#include "handler_table.hpp"
#include "io_loop.hpp"
#include "options_check.hpp"
#include "registration.hpp"
#include "shared_state.hpp"
#include "skynet/bus/origin.hpp"
#include "skynet/bus/service_name.hpp"
#include "skynet/metrics/exposer.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/runtime/event_fd.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/options.hpp"
#include "skynet/runtime/sockets.hpp"
#include "skynet/runtime/thread_name.hpp"
#include "worker_metrics.hpp"

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
    // Last: destroyed first, so that no scrape reads what follows it.
    std::unique_ptr<metrics::exposer> metrics;
};

namespace {

// The worker's handlers call out from where the worker serves: its
// context, its brokers, or the registry it finds them in.
client_options nested_client_options(const worker_options& o) {
    client_options c;
    c.brokers = o.brokers;
    c.redis = o.redis;
    c.redis_prefix = o.redis_prefix;
    c.region = o.region;
    c.context = o.context;
    c.curve_public_key = o.curve_public_key;
    c.curve_secret_key = o.curve_secret_key;
    c.broker_key = o.broker_key;
    c.name = bus::join_service_name(o.service, o.version);
    return c;
}

}  // namespace

worker::worker(worker_options options) : impl_(std::make_unique<impl>()) {
    check_options(options);
    // Made here, not by the connections, so that the handlers' client
    // (request::client()) shares it: one set of I/O threads per worker.
    options.context = runtime::context_or_own(std::move(options.context));
    impl_->options = std::move(options);
    impl_->state->nested.configure(nested_client_options(impl_->options));
    const auto& host = impl_->options.host;
    impl_->state->instance_id =
        !impl_->options.instance_id.empty()
            ? impl_->options.instance_id
            : registry::make_instance_id(registry::instance_kind::worker,
                                         host.empty() ? bus::local_host_name() : host);
}

worker::~worker() {
    stop();
    wait();
}

namespace {

void refuse_after_start(bool started, std::string_view what) {
    if (started) {
        throw std::logic_error("worker: " + std::string(what) +
                               " after start(): register every handler before start()");
    }
}

}  // namespace

void worker::add_sync(std::string method, sync_handler fn, run_on where) {
    refuse_after_start(impl_->started, "handle(\"" + method + "\")");
    handler_entry entry;
    entry.type = handler_entry::kind::sync;
    entry.where = where;
    entry.sync = std::move(fn);
    impl_->handlers.add(std::move(method), std::move(entry));
}

void worker::add_async(std::string method, async_handler fn, run_on where) {
    refuse_after_start(impl_->started, "handle(\"" + method + "\")");
    handler_entry entry;
    entry.type = handler_entry::kind::async;
    entry.where = where;
    entry.async = std::move(fn);
    impl_->handlers.add(std::move(method), std::move(entry));
}

void worker::handle_async(std::string method, async_handler fn, run_on where) {
    add_async(std::move(method), std::move(fn), where);
}

void worker::handle_raw(raw_handler fn, run_on where) {
    refuse_after_start(impl_->started, "handle_raw()");
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
    impl_->state->methods.configure(impl_->handlers.methods());
    if (!impl_->options.metrics_listen.empty()) {
        impl_->metrics = std::make_unique<metrics::exposer>(impl_->options.metrics_listen);
        impl_->metrics->add([state = impl_->state] {
            return worker_families(state->stats.snapshot(), state->methods);
        });
        runtime::logger_for("worker")->info("metrics on http://{}/metrics",
                                            impl_->metrics->address());
    }
    impl_->started = true;
    impl_->state->log.configure(announced_name(), impl_->options.access_log);
    impl_->pool = std::make_unique<handler_pool>(impl_->options.concurrency, impl_->state);
    const bus::service_name announced(impl_->options.service, impl_->options.version);
    impl_->loop = std::make_unique<io_loop>(impl_->options, announced, impl_->state,
                                            impl_->handlers, *impl_->pool, impl_->stop_signal);
    impl_->thread = std::thread([this] {
        runtime::name_this_thread("skynet-worker");
        try {
            impl_->loop->run();
        } catch (...) {
            // The loop is gone: replies made from now on have nowhere to go.
            log_escaped("network thread; the worker has stopped");
            impl_->state->completions.close();
        }
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
    // No handler runs any more: calls still out end UNAVAILABLE, and their
    // callbacks answer into a worker that has stopped.
    impl_->state->nested.close();
    impl_->loop.reset();
}

void worker::run() {
    start();
    wait();
}

worker_stats worker::stats() const noexcept {
    return impl_->state->stats.snapshot();
}

// The counter table's part of /metrics, by the same code and serialiser.
std::string prometheus_text(const worker_stats& stats) {
    return metrics::text_of(worker_families(stats, method_metrics{}));
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

std::string worker::metrics_address() const {
    return impl_->metrics ? impl_->metrics->address() : std::string();
}

const worker_options& worker::options() const noexcept {
    return impl_->options;
}

std::string worker::announced_name() const {
    return bus::join_service_name(impl_->options.service, impl_->options.version);
}

}  // namespace skynet
