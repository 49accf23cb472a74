#pragma once
// The socket factory: every ROUTER and DEALER our brokers, workers and
// clients talk 7/MDP on is made here, so that what a socket of ours is set
// to lives in one place. Security (CURVE keys, issue #17) joins here too:
// it must be set before bind or connect, which is why these functions bind
// and connect themselves.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <zmq.hpp>

namespace skynet::runtime {

// What a socket is set to before it binds or connects. The defaults are
// those of our DEALERs; each role changes what it needs. Only options that
// differ from ZeroMQ's defaults are set, once, at creation: nothing here
// costs anything per message.
struct socket_options {
    // Messages queued per peer, each way, before sends to it fail (or block).
    // Far above ZeroMQ's 1,000: a worker with credit or a busy client has
    // that many requests out at once.
    int high_water_mark = 100'000;
    // How long close() keeps trying to deliver what is unsent: 0 drops it.
    std::chrono::milliseconds linger{0};
    // DEALER: sends fail while no connection is up, instead of queueing for
    // a peer that may never come back (ZMQ_IMMEDIATE).
    bool immediate = false;
    // ROUTER: sends to a peer that is gone, or not reading, fail instead of
    // vanishing (ZMQ_ROUTER_MANDATORY), so that they can be counted.
    bool router_mandatory = false;
    // The largest frame read; a larger one drops its sender's connection
    // (ZMQ_MAXMSGSIZE). -1: no limit.
    std::int64_t max_frame_size = -1;
    // DEALER: the identity a ROUTER sees it by; empty: ZeroMQ picks one.
    std::string routing_id;
    // CURVE (issue #17), keys in Z85 text (40 characters each). All empty:
    // a plain socket. A server sets curve_secret_key and curve_server; a
    // client sets its own pair and curve_server_key, the public key of the
    // server it dials (the handshake fails against any other server).
    std::string curve_public_key;
    std::string curve_secret_key;
    std::string curve_server_key;
    // A CURVE server: every handshake goes to the ZAP handler of the socket's
    // context (inproc://zeromq.zap.01), and with none bound the handshake
    // fails (ZMQ_ZAP_ENFORCE_DOMAIN): Debian's libzmq would accept any key.
    bool curve_server = false;
    // The ZAP domain a CURVE server names in its requests.
    std::string zap_domain = "skynet";
};

// True if `options` ask for CURVE, as a server or a client.
bool uses_curve(const socket_options& options) noexcept;

// A client's CURVE keys as its options hold them: the client's own pair
// and the server's public key, Z85.
struct curve_client_keys {
    const std::string& public_key;
    const std::string& secret_key;
    const std::string& server_key;
};

// Checks that `keys` are all empty (plain) or all Z85 keys, the public key
// the secret's own. Throws std::invalid_argument naming `owner` (such as
// "client_options") and the key at fault.
void check_curve_client(const curve_client_keys& keys, std::string_view owner);

// Copies `keys` into `options`: a CURVE client unless they are empty.
void set_curve_client(socket_options& options, const curve_client_keys& keys);

// A ROUTER bound to `endpoint` (its zmq::sockopt::last_endpoint says the
// address actually bound). Throws zmq::error_t if it cannot bind.
zmq::socket_t bind_router(zmq::context_t& context, const std::string& endpoint,
                          const socket_options& options);

// A DEALER connecting to `endpoint` (ZeroMQ connects in the background and
// reconnects by itself). Throws zmq::error_t for an endpoint it cannot use.
zmq::socket_t connect_dealer(zmq::context_t& context, const std::string& endpoint,
                             const socket_options& options);

// `given`, or a new context with one I/O thread when it is empty: what a
// broker, worker or client uses when its options name no context to share.
std::shared_ptr<zmq::context_t> context_or_own(std::shared_ptr<zmq::context_t> given);

}  // namespace skynet::runtime
