#pragma once
// The ROUTER routing id our workers give each of their sockets:
// "<instance id>/<connection>/<epoch>". Unique per socket, so that a new
// socket never collides with the old one still known to a broker; and it
// begins with the worker's registry instance id, so that a broker that sees
// the worker die can say which instance went (docs/design.md). Made by the
// worker and read by the broker through these two functions only.

#include <cstdint>
#include <string>
#include <string_view>

#include "skynet/bus/result.hpp"

namespace skynet::bus {

struct worker_routing_id {
    std::string_view instance_id;  // a view into the parsed text
    std::uint32_t connection = 0;  // the connection's index in its worker
    std::uint32_t epoch = 0;       // how many sockets that connection has had
};

// Throws std::bad_alloc only. `instance_id` must not contain '/'.
std::string make_worker_routing_id(std::string_view instance_id, std::uint32_t connection,
                                   std::uint32_t epoch);

// The parts of a routing id made above, as views into `text`; error{bad_request}
// for anything else (a plain 7/MDP worker's id, say). Never throws: these
// bytes come from the network.
[[nodiscard]] result<worker_routing_id> parse_worker_routing_id(std::string_view text) noexcept;

}  // namespace skynet::bus
