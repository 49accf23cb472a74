#include "skynet/registry/instance.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "skynet/registry/query.hpp"

namespace skynet::registry {

std::string_view to_string(instance_kind kind) noexcept {
    switch (kind) {
        case instance_kind::broker:
            return "broker";
        case instance_kind::worker:
            return "worker";
        case instance_kind::daemon:
            return "daemon";
    }
    return "worker";
}

std::optional<instance_kind> kind_from_string(std::string_view text) noexcept {
    for (auto kind : {instance_kind::broker, instance_kind::worker, instance_kind::daemon}) {
        if (text == to_string(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

std::string make_instance_id(instance_kind kind, std::string_view host) {
    // The random part keeps ids unique when a pid is reused after a restart.
    static thread_local std::mt19937_64 bits{std::random_device{}()};
    char suffix[17];
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(bits()));
    std::string id(to_string(kind));
    id.append("-").append(host).append("-").append(std::to_string(::getpid()));
    return id.append("-").append(suffix, 8);
}

std::int64_t wall_clock_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool query::matches(const instance& record) const noexcept {
    return (!region || *region == record.region) && (!host || *host == record.host) &&
           (!service || *service == record.service) && (!version || *version == record.version) &&
           (!kind || *kind == record.kind) && (!registered || *registered == record.registered);
}

}  // namespace skynet::registry
