#include "registration.hpp"

#include <unistd.h>

#include "skynet/bus/worker_routing_id.hpp"
#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::broker_detail {

registration::registration(const runtime::common_options& common, std::string endpoint,
                           std::chrono::milliseconds lease, std::function<void()> stop) {
    auto settings = registry::options_from_url(common.redis, common.prefix);
    if (!settings) {
        throw runtime::options_error("--redis: " + settings.err().detail);
    }
    registry::instance record;
    record.id = registry::make_instance_id(registry::instance_kind::broker, common.host);
    record.kind = registry::instance_kind::broker;
    record.region = common.region;
    record.host = common.host;
    record.pid = ::getpid();
    record.endpoint = std::move(endpoint);
    id_ = record.id;
    runtime::logger_for("broker")->info("registering id={} endpoint={} region={} redis={}", id_,
                                        record.endpoint, record.region, common.redis);
    registry::registrar_settings lease_settings;
    lease_settings.lease = lease;
    registrar_ =
        std::make_unique<registry::registrar>(*settings, std::move(record), lease_settings);
    registry::command_handlers handlers;
    handlers.stop = [this, stop] {
        draining();
        stop();
    };
    handlers.restart = handlers.stop;  // a host daemon restarts what exits
    handlers.log_level = [](const std::string& level) { return runtime::try_set_log_level(level); };
    registrar_->handle_commands(std::move(handlers));
}

void registration::draining() {
    registrar_->set_registered(false);
}

void registration::services_changed(const std::vector<std::string>& services) {
    registrar_->update([&](registry::instance& r) { r.services = services; });
}

void registration::worker_lost(std::string_view identity) {
    if (auto id = worker_instance_id(identity); !id.empty()) {
        registrar_->remove_other(std::string(id));
    }
}

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

}  // namespace skynet::broker_detail
