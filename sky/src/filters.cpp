#include "skynet/sky/filters.hpp"

#include <cstdlib>
#include <string_view>
#include <utility>

namespace skynet::sky {

bool filters::empty() const noexcept {
    return !service && !version && !host && !region && !kind && !registered;
}

registry::query filters::to_query() const {
    return registry::query{region, host, service, version, kind, registered};
}

std::string filters::describe() const {
    std::string out;
    auto add = [&](std::string_view name, std::string_view value) {
        if (!out.empty()) {
            out.append(" ");
        }
        out.append("--").append(name);
        if (!value.empty()) {
            out.append(" ").append(value);
        }
    };
    for (auto [name, value] : {std::pair{"service", &service}, std::pair{"version", &version},
                               std::pair{"host", &host}, std::pair{"region", &region}}) {
        if (*value) {
            add(name, **value);
        }
    }
    if (kind) {
        add("kind", registry::to_string(*kind));
    }
    if (registered) {
        add(*registered ? "registered" : "registered=no", {});
    }
    return out;
}

void filters::inherit(const filters& sticky) {
    service = service ? service : sticky.service;
    version = version ? version : sticky.version;
    host = host ? host : sticky.host;
    region = region ? region : sticky.region;
    kind = kind ? kind : sticky.kind;
    registered = registered ? registered : sticky.registered;
}

std::string registry_url(const std::optional<std::string>& given) {
    if (given) {
        return *given;
    }
    const char* env = std::getenv("SKYNET_REDIS");
    return env != nullptr && *env != '\0' ? env : "redis://127.0.0.1:6379";
}

}  // namespace skynet::sky
