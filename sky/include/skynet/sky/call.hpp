#pragma once
// One call from a tool (sky call, the dashboard): the brokers that serve the
// service are read from the registry and ranked by the broker directory
// (the caller's region first, else any region's that serve it), and the call
// goes through them with a client of its own.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/result.hpp"
#include "skynet/client/client.hpp"
#include "skynet/registry/connection.hpp"

namespace skynet::sky {

struct call_request {
    std::string service;                 // the name, without "@version"
    std::optional<std::string> version;  // only this version's workers
    std::optional<std::string> region;   // brokers of this region first
    std::chrono::milliseconds timeout{5000};
    // CURVE (issue #17): our key pair and the brokers' public key, Z85; all
    // empty: plain. With broker_key, only brokers whose record publishes
    // that key are called: the registry's word alone is never trusted.
    std::string curve_public_key = {};
    std::string curve_secret_key = {};
    std::string broker_key = {};

    // "name@version", or the name without a version.
    std::string wanted() const;
};

// The endpoints of the brokers to call `request` through; empty when no
// broker serves it. Every broker is read, draining ones included. Fails only
// when Redis does.
bus::result<std::vector<std::string>> brokers_for(registry::connection& registry,
                                                  const call_request& request);

// Calls `method` with `params` through `brokers` and waits for the one
// outcome: the reply (its result() is the document) or the error. A reply
// that is not our envelope ends the call with an error (client.hpp).
// Blocks the calling thread up to request.timeout.
skynet::call_result call_through(const std::vector<std::string>& brokers,
                                 const call_request& request, std::string_view method,
                                 const bus::bson_view& params);

// A plain 7/MDP call, for plain services: `body` goes out as it is, and the
// reply is the frames the service sent back (reply::frames()).
skynet::call_result call_raw_through(const std::vector<std::string>& brokers,
                                     const call_request& request, bus::frames body);

}  // namespace skynet::sky
