#include "skynet/sky/call.hpp"

#include "skynet/registry/broker_directory.hpp"

namespace skynet::sky {

namespace {

client_options options_for(const std::vector<std::string>& brokers, const call_request& request) {
    client_options options;
    options.brokers = brokers;
    options.name = "sky";
    options.default_timeout = request.timeout;
    options.curve_public_key = request.curve_public_key;
    options.curve_secret_key = request.curve_secret_key;
    options.broker_key = request.broker_key;
    return options;
}

call_options call_for(const call_request& request) {
    call_options call;
    call.timeout = request.timeout;
    if (request.version) {
        call.version = *request.version;
    }
    return call;
}

}  // namespace

std::string call_request::wanted() const {
    return version ? service + "@" + *version : service;
}

bus::result<std::vector<std::string>> brokers_for(registry::connection& registry,
                                                  const call_request& request) {
    // As sky always did: every broker, draining ones too, ours first.
    registry::broker_directory directory(
        registry::directory_policy{.region = request.region, .registered_only = false});
    auto brokers = registry.find(directory.policy().broker_query());
    if (!brokers) {
        return std::move(brokers).err();
    }
    const auto now = bus::clock::now();
    for (const auto& b : *brokers) {
        if (!request.broker_key.empty() && b.curve_key != request.broker_key) {
            continue;  // another broker's key, or a plain broker: no handshake would pass
        }
        directory.seen(b, now);
    }
    return directory.endpoints_for(request.wanted());
}

call_result call_through(const std::vector<std::string>& brokers, const call_request& request,
                         std::string_view method, const bus::bson_view& params) {
    client bus_client(options_for(brokers, request));
    return bus_client.call(request.service, method, params, call_for(request));
}

call_result call_raw_through(const std::vector<std::string>& brokers, const call_request& request,
                             bus::frames body) {
    client bus_client(options_for(brokers, request));
    return bus_client.call_raw(request.service, std::move(body), call_for(request));
}

}  // namespace skynet::sky
