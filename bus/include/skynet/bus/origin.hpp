#pragma once

#include <string>
#include <string_view>

namespace skynet::bus {

// "host/pid/name": who called, as the request header's origin field says.
std::string make_origin(std::string_view name);

// The name of this machine, as the registry and origins use it.
std::string local_host_name();

}  // namespace skynet::bus
