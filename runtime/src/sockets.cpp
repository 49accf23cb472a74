#include "skynet/runtime/sockets.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

namespace skynet::runtime {
namespace {

// ZMQ_ZAP_ENFORCE_DOMAIN: a draft option in libzmq 4.3's header, absent from
// Debian's build of it, but understood at run time. Set, a CURVE handshake
// with no ZAP handler to answer fails instead of being let through.
constexpr int zap_enforce_domain_option = 93;

// CURVE keys and the ZAP domain; throws zmq::error_t for a malformed key.
void apply_curve(zmq::socket_t& socket, const socket_options& options) {
    if (options.curve_server) {
        socket.set(zmq::sockopt::zap_domain, options.zap_domain);
        const int on = 1;
        if (zmq_setsockopt(socket.handle(), zap_enforce_domain_option, &on, sizeof on) != 0) {
            throw zmq::error_t();
        }
        socket.set(zmq::sockopt::curve_server, 1);
        socket.set(zmq::sockopt::curve_secretkey, options.curve_secret_key);
        return;
    }
    if (!options.curve_server_key.empty()) {
        socket.set(zmq::sockopt::curve_serverkey, options.curve_server_key);
        socket.set(zmq::sockopt::curve_publickey, options.curve_public_key);
        socket.set(zmq::sockopt::curve_secretkey, options.curve_secret_key);
    }
}

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
    apply_curve(socket, options);
}

}  // namespace

bool uses_curve(const socket_options& options) noexcept {
    return options.curve_server || !options.curve_server_key.empty();
}

namespace {
bool z85_key(const std::string& text) noexcept {
    std::array<std::uint8_t, 32> binary{};
    return text.size() == 40 && zmq_z85_decode(binary.data(), text.c_str()) != nullptr;
}
}  // namespace

void check_curve_client(const curve_client_keys& keys, std::string_view owner) {
    const auto refuse = [&](std::string_view why) {
        throw std::invalid_argument(std::string(owner) + ": " + std::string(why));
    };
    if (keys.public_key.empty() && keys.secret_key.empty() && keys.server_key.empty()) {
        return;
    }
    if (keys.public_key.empty() || keys.secret_key.empty() || keys.server_key.empty()) {
        refuse("CURVE needs all of curve_public_key, curve_secret_key and broker_key");
    }
    if (!z85_key(keys.public_key) || !z85_key(keys.secret_key) || !z85_key(keys.server_key)) {
        refuse("a CURVE key is not 40 characters of Z85");
    }
    std::array<char, 41> derived{};
    if (zmq_curve_public(derived.data(), keys.secret_key.c_str()) != 0 ||
        keys.public_key != std::string_view(derived.data(), 40)) {
        refuse("curve_public_key is not the public key of curve_secret_key");
    }
}

void set_curve_client(socket_options& options, const curve_client_keys& keys) {
    options.curve_public_key = keys.public_key;
    options.curve_secret_key = keys.secret_key;
    options.curve_server_key = keys.server_key;
}

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
