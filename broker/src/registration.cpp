#include "skynet/broker/registration.hpp"

#include <unistd.h>

#include <mutex>
#include <stdexcept>
#include <vector>

#include "load_sampler.hpp"
#include "registration.hpp"
#include "skynet/bus/origin.hpp"
#include "skynet/bus/worker_routing_id.hpp"
#include "skynet/registry/credentials.hpp"
#include "skynet/registry/redis_url.hpp"
#include "skynet/registry/registrar.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet {

// Shared with the hooks on broker_options, which may outlive the
// registration: after it, they find no registrar and do nothing.
struct broker_registration::impl {
    broker_registration_options options;
    registry::options settings;
    std::mutex mutex;
    std::unique_ptr<registry::registrar> registrar;  // guarded by mutex
    std::vector<std::string> services;               // guarded: the latest, for start()
    std::string id, endpoint;                        // guarded
    const broker* subject = nullptr;                 // guarded: set by start()
    broker_detail::load_sampler load;                // the broker's thread only

    void services_changed(const std::vector<std::string>& now_served) {
        std::lock_guard lock(mutex);
        services = now_served;
        if (registrar) {
            registrar->update([&](registry::instance& r) { r.services = now_served; });
        }
    }

    // On the broker's thread, every tick: its load, when a second has
    // passed and it changed. Stats are a few relaxed loads; the record is
    // copied (registrar::update) only when the figures changed.
    void tick() {
        std::lock_guard lock(mutex);
        if (!registrar || subject == nullptr) {
            return;
        }
        if (auto figures = load.sample(subject->stats(), std::chrono::steady_clock::now())) {
            registrar->update([&](registry::instance& r) { r.load = *figures; });
        }
    }

    void worker_lost(std::string_view identity) {
        auto worker = broker_detail::worker_instance_id(identity);
        std::lock_guard lock(mutex);
        if (registrar && !worker.empty()) {
            registrar->remove_other(std::string(worker));
        }
    }
};

broker_registration::broker_registration(broker_registration_options options,
                                         broker_options& hooked)
    : impl_(std::make_shared<impl>()) {
    auto settings = registry::options_from_url(options.redis, options.redis_prefix);
    if (!settings) {
        throw std::invalid_argument("redis: " + settings.err().detail);
    }
    registry::refuse_wrong_credentials(*settings, "broker");
    if (options.lease < std::chrono::milliseconds(100)) {
        throw std::invalid_argument("registration: a lease must be at least 100 ms");
    }
    if (options.host.empty()) {
        options.host = bus::local_host_name();
    }
    impl_->options = std::move(options);
    impl_->settings = std::move(settings).value();
    hooked.on_services_changed = [state = impl_, next = std::move(hooked.on_services_changed)](
                                     const std::vector<std::string>& services) {
        state->services_changed(services);
        if (next) {
            next(services);
        }
    };
    hooked.on_tick = [state = impl_, next = std::move(hooked.on_tick)] {
        state->tick();
        if (next) {
            next();
        }
    };
    hooked.on_worker_lost = [state = impl_,
                             next = std::move(hooked.on_worker_lost)](std::string_view identity) {
        state->worker_lost(identity);
        if (next) {
            next(identity);
        }
    };
}

broker_registration::~broker_registration() {
    std::unique_ptr<registry::registrar> leaving;
    {
        std::lock_guard lock(impl_->mutex);
        leaving = std::move(impl_->registrar);
        impl_->subject = nullptr;
    }
    leaving.reset();  // outside the lock: a command handler may be waiting for it
}

void broker_registration::start(broker& b) {
    const auto& o = impl_->options;
    registry::instance record;
    record.id = o.instance_id.empty()
                    ? registry::make_instance_id(registry::instance_kind::broker, o.host)
                    : o.instance_id;
    record.managed_by = o.managed_by;
    record.kind = registry::instance_kind::broker;
    record.region = o.region;
    record.host = o.host;
    record.pid = ::getpid();
    record.endpoint = o.advertise.empty() ? broker_detail::advertised_endpoint(b.endpoint(), o.host)
                                          : o.advertise;
    record.curve_key = b.curve_public_key();
    runtime::logger_for("broker")->info("registering id={} endpoint={} region={} redis={}",
                                        record.id, record.endpoint, record.region, o.redis);
    registry::registrar_settings lease;
    lease.lease = o.lease;
    std::lock_guard lock(impl_->mutex);
    record.services = impl_->services;
    impl_->id = record.id;
    impl_->endpoint = record.endpoint;
    impl_->subject = &b;
    impl_->registrar =
        std::make_unique<registry::registrar>(impl_->settings, std::move(record), lease);
    registry::command_handlers handlers;
    handlers.stop = [this, &b] {
        draining();
        b.stop();
    };
    handlers.restart = handlers.stop;  // a host daemon restarts what exits
    handlers.log_level = [](const std::string& level) { return runtime::try_set_log_level(level); };
    impl_->registrar->handle_commands(std::move(handlers));
}

void broker_registration::draining() {
    std::lock_guard lock(impl_->mutex);
    if (impl_->registrar) {
        // Unregistered, so that clients and workers stop choosing it, and
        // draining, so that `sky` and the dashboard say why (as a worker's).
        impl_->registrar->update([](registry::instance& r) {
            r.registered = false;
            r.draining = true;
        });
    }
}

std::string broker_registration::id() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->id;
}

std::string broker_registration::endpoint() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->endpoint;
}

namespace broker_detail {

std::string advertised_endpoint(std::string_view bound, std::string_view host) {
    for (std::string_view wildcard : {"//*:", "//0.0.0.0:", "//[::]:"}) {
        if (auto at = bound.find(wildcard); at != std::string_view::npos) {
            return std::string(bound.substr(0, at + 2)) + std::string(host) +
                   std::string(bound.substr(at + wildcard.size() - 1));
        }
    }
    return std::string(bound);
}

std::string_view worker_instance_id(std::string_view identity) noexcept {
    // Only a worker's record (the registry names them "worker-..."): a
    // routing id is whatever its peer chose.
    auto parsed = bus::parse_worker_routing_id(identity);
    return parsed && parsed->instance_id.starts_with("worker-") ? parsed->instance_id
                                                                : std::string_view{};
}

}  // namespace broker_detail

}  // namespace skynet
