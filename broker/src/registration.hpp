#pragma once
// skynet-broker in the registry: its own record (kind broker, endpoint,
// region, the services it has workers for), and workers it saw die through
// heartbeats reported at once rather than when their lease runs out.
//
// Everything here is handed to the registrar's thread: the broker's loop
// never waits on Redis (docs/design.md).

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/runtime/options.hpp"
#include "skynet/registry/registrar.hpp"

namespace skynet::broker_detail {

class registration {
public:
    // Throws options_error for a --redis URL that cannot be parsed. `stop`
    // asks the broker to drain and exit (sky stop and restart).
    registration(const runtime::common_options& common, std::string endpoint,
                 std::chrono::milliseconds lease, std::function<void()> stop);

    // The broker is closing: its record says registered=false, which takes
    // it off the lists clients and workers choose brokers from, while it
    // drains what it holds. The record goes when the broker does.
    void draining();
    void services_changed(const std::vector<std::string>& services);
    void worker_lost(std::string_view identity);
    const std::string& id() const noexcept { return id_; }

private:
    std::string id_;
    std::unique_ptr<registry::registrar> registrar_;
};

// The endpoint clients should dial for a bound one: a wildcard address
// (tcp://*:5555, tcp://0.0.0.0:5555) becomes this host's name.
std::string advertised_endpoint(std::string_view bound, std::string_view host);

// The registry id of the worker behind a routing identity, if it is one of
// ours ("<instance id>/<connection>/<epoch>", see worker/); empty otherwise.
std::string_view worker_instance_id(std::string_view identity) noexcept;

}  // namespace skynet::broker_detail
