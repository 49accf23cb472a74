// call SERVICE METHOD [JSON]: one request through a broker the registry says
// serves SERVICE, preferring the --region's brokers and falling back to any
// other region's. The JSON params become BSON (libbson's own parser); the
// reply's result document is printed as JSON.
//
// Exit statuses: 0 with a reply; 2 for malformed JSON or arguments; 3 when
// the registry is unreachable; 10 + the bus error code otherwise: 12 no such
// service (no broker serves it, or UNKNOWN_SERVICE), 13 no such method,
// 14 timeout, 15 unavailable, 18 service error, and so on.

#include <algorithm>
#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/bus/bson.hpp"
#include "skynet/client/client.hpp"

namespace skynet::sky {

namespace {

using registry::instance;
using std::chrono::milliseconds;

constexpr milliseconds default_timeout{5000};

bool serves(const instance& broker, const std::string& name) {
    return std::find(broker.services.begin(), broker.services.end(), name) !=
           broker.services.end();
}

// The endpoints of the brokers that serve `name`: those of `region` if any
// do, else every region's.
std::vector<std::string> endpoints_for(const std::vector<instance>& brokers,
                                       const std::string& name,
                                       const std::optional<std::string>& region) {
    std::vector<std::string> local, elsewhere;
    for (const auto& b : brokers) {
        if (b.endpoint.empty() || !serves(b, name)) {
            continue;
        }
        (region && b.region != *region ? elsewhere : local).push_back(b.endpoint);
    }
    return local.empty() ? elsewhere : local;
}

bus::bson_doc params_of(const invocation& inv) {
    std::string text = inv.args.size() > 2 ? inv.args[2] : "{}";
    auto parsed = bus::bson_doc::from_json(text);
    if (!parsed) {
        throw usage_error("malformed JSON for call: " + parsed.err().detail);
    }
    return std::move(parsed).value();
}

int print_outcome(session& s, const call_result& outcome) {
    if (!outcome) {
        const auto& e = outcome.err();
        return s.fail(exit_code::call_base + static_cast<int>(e.code),
                      "call failed: " + std::string(bus::to_string(e.code)) +
                          (e.detail.empty() ? "" : ": " + e.detail));
    }
    s.out << outcome->result().to_json() << std::endl;
    return exit_code::ok;
}

}  // namespace

int run_call(session& s, const invocation& inv) {
    if (inv.args.size() < 2 || inv.args.size() > 3) {
        throw usage_error("usage: call SERVICE METHOD ['JSON params']");
    }
    const auto& service = inv.args[0];
    const auto& method = inv.args[1];
    auto params = params_of(inv);
    auto* c = s.connect();
    if (c == nullptr) {
        return exit_code::unreachable;
    }
    auto brokers = c->find(registry::query{.kind = registry::instance_kind::broker});
    if (!brokers) {
        return s.fail(exit_code::failed, "registry at " + s.url() + ": " + brokers.err().detail);
    }
    auto wanted = inv.filter.version ? service + "@" + *inv.filter.version : service;
    auto endpoints = endpoints_for(*brokers, wanted, inv.filter.region);
    if (endpoints.empty()) {
        return s.fail(exit_code::call_base + static_cast<int>(bus::errc::unknown_service),
                      "no broker serves " + wanted);
    }
    auto timeout = inv.timeout.value_or(default_timeout);
    client_options options;
    options.brokers = endpoints;
    options.name = "sky";
    options.default_timeout = timeout;
    client bus_client(options);
    call_options call;
    call.timeout = timeout;
    if (inv.filter.version) {
        call.version = *inv.filter.version;
    }
    return print_outcome(s, bus_client.call(service, method, params.view(), call));
}

}  // namespace skynet::sky
