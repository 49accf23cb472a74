#pragma once
// What broker registration (skynet/broker/registration.hpp) reads off the
// wire and the bound socket.

#include <string>
#include <string_view>

namespace skynet::broker_detail {

// The endpoint clients should dial for a bound one: a wildcard address
// (tcp://*:5555, tcp://0.0.0.0:5555) becomes this host's name.
std::string advertised_endpoint(std::string_view bound, std::string_view host);

// The registry id of the worker behind a routing identity, if it is one of
// ours ("<instance id>/<connection>/<epoch>", see worker/); empty otherwise.
std::string_view worker_instance_id(std::string_view identity) noexcept;

}  // namespace skynet::broker_detail
