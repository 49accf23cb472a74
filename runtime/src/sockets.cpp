#include "skynet/runtime/sockets.hpp"

namespace skynet::runtime {
namespace {

// Everything but the address: the options a socket of either type takes.
void apply(zmq::socket_t& socket, const socket_options& options) {
    socket.set(zmq::sockopt::sndhwm, options.high_water_mark);
    socket.set(zmq::sockopt::rcvhwm, options.high_water_mark);
    socket.set(zmq::sockopt::linger, static_cast<int>(options.linger.count()));
    if (options.immediate) {
        socket.set(zmq::sockopt::immediate, 1);
    }
    if (options.router_mandatory) {
        socket.set(zmq::sockopt::router_mandatory, 1);
    }
    if (options.max_frame_size >= 0) {
        socket.set(zmq::sockopt::maxmsgsize, options.max_frame_size);
    }
    if (!options.routing_id.empty()) {
        socket.set(zmq::sockopt::routing_id, options.routing_id);
    }
}

}  // namespace

zmq::socket_t bind_router(zmq::context_t& context, const std::string& endpoint,
                          const socket_options& options) {
    zmq::socket_t socket(context, zmq::socket_type::router);
    apply(socket, options);
    socket.bind(endpoint);
    return socket;
}

zmq::socket_t connect_dealer(zmq::context_t& context, const std::string& endpoint,
                             const socket_options& options) {
    zmq::socket_t socket(context, zmq::socket_type::dealer);
    apply(socket, options);
    socket.connect(endpoint);
    return socket;
}

std::shared_ptr<zmq::context_t> context_or_own(std::shared_ptr<zmq::context_t> given) {
    return given != nullptr ? given : std::make_shared<zmq::context_t>(1);
}

}  // namespace skynet::runtime
