#pragma once
// The Majordomo broker: one ROUTER socket for clients and workers speaking
// 7/MDP/0.1, per-service queues of ready workers dispatched least recently
// used, heartbeats both ways, and the mmi.* internal services.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>
#include <zmq.hpp>

#include "skynet/broker/broker_access.hpp"
#include "skynet/broker/broker_stats.hpp"

namespace skynet {

struct broker_options {
    std::string bind = "tcp://*:5555";
    // Heartbeat interval both ways; a worker silent for heartbeat * liveness is dead.
    std::chrono::milliseconds heartbeat{2500};
    int liveness = 3;
    // Requests waiting for a worker, per service; past it, OVERLOADED.
    std::size_t max_queue = 10000;
    // 7/MDP: requests for a service with no worker expire after a configurable
    // time. They end in UNKNOWN_SERVICE, long before their own deadline.
    std::chrono::milliseconds unknown_service_wait{1000};
    // Limits (docs/design.md): past each, a coded error and a counter.
    // A request's body frames together; larger ones get BAD_REQUEST. A single
    // frame four times larger is not read at all: ZeroMQ drops its sender's
    // connection, which is the only way not to buffer it.
    std::size_t max_message_size = 16u << 20;
    // Clients with requests in the broker (queued or held by a worker), and
    // the requests one client may have there; past either, OVERLOADED.
    std::size_t max_clients = 100000;
    std::uint32_t max_client_requests = 100000;
    // The most requests one worker connection may hold (docs/design.md: credit).
    std::uint32_t max_credit = 65536;
    // Batch frames with our clients and workers that ask for them
    // (docs/design.md): many requests or replies per frame. Off: this broker
    // answers mmi.batch with 501 and grants credit without it, as a broker
    // that does not know batches would.
    bool batching = true;
    // Messages queued per peer connection in ZeroMQ before sends to it fail;
    // a reply to a client that stops reading is dropped (and counted) past it.
    int high_water_mark = 100000;
    // On stop, how long in-flight requests get to finish before their clients
    // are answered and the workers are disconnected.
    std::chrono::milliseconds drain_timeout{2000};
    // After the drain, how long the broker serves on before it closes: what
    // arrives meanwhile is answered UNAVAILABLE, and clients read the last
    // replies. A client with ZMQ_IMMEDIATE (ours) drops the replies it has
    // not yet read when the connection closes, so this is how late a busy
    // or paused client may be in reading them.
    std::chrono::milliseconds farewell{1000};
    // For broker(options): a ZeroMQ context to share with the process's
    // workers and clients (one set of I/O threads); empty: one of its own.
    // The broker holds a share until it is destroyed, so the context
    // outlives its socket; do not shut it down before then.
    std::shared_ptr<zmq::context_t> context;
    // Where to serve GET /metrics for Prometheus (docs/metrics.md):
    // "host:port", port 0 for any free one (metrics_address() tells which);
    // empty: no metrics endpoint.
    std::string metrics_listen;
    // Access control (docs/security.md): null, every peer may offer and call
    // everything, as plain 7/MDP has it. Set, every message is checked
    // against it by the key name its peer authenticated with: a READY not
    // allowed gets DISCONNECT, a request not allowed UNAUTHORIZED, and a peer
    // with no key name (no CURVE) is allowed nothing.
    std::shared_ptr<const broker_access> access;
    // CURVE (issue #17): the broker's secret key (Z85, 40 characters; see
    // skynet/security/keys.hpp). Set, the ROUTER is a CURVE server and the
    // broker runs a ZAP handler on its context that lets in only the clients
    // whose public key is in allowed_keys; every message of theirs carries
    // the key's name as its User-Id. Empty: plain 7/MDP, anyone may connect.
    std::string curve_secret_key;
    // Client public keys (Z85) allowed in, each with its name (the NAME of
    // its NAME.pub); null or empty: none. Read only with curve_secret_key.
    std::shared_ptr<const std::unordered_map<std::string, std::string>> allowed_keys;

    // Called on the broker's thread; they must not block (hand the news to
    // another thread, as the registry's registrar does).
    // A worker went silent past its liveness and was dropped: its routing id.
    std::function<void(std::string_view identity)> on_worker_lost;
    // The services that have workers ("name" and "name@version"), sorted,
    // whenever that set changed; at most once per tick.
    std::function<void(const std::vector<std::string>& services)> on_services_changed;
    // At each tick of the broker's loop (every min(heartbeat, 100 ms), never
    // per message), from its first turn until run() returns: skynet-broker
    // paces its systemd watchdog by it, so that a loop that hangs stops the
    // pings and systemd restarts it.
    std::function<void()> on_tick;
};

class broker {
public:
    // Binds the ROUTER socket on options.bind, in options.context or a
    // context of its own. Throws std::invalid_argument naming a bind that is
    // no endpoint, zmq::error_t if it cannot bind (a port in use).
    explicit broker(broker_options options);
    // The same in `context`, which the caller keeps alive until this broker
    // is destroyed (options.context is not used).
    broker(broker_options options, zmq::context_t& context);
    ~broker();
    broker(const broker&) = delete;
    broker& operator=(const broker&) = delete;

    // The endpoint actually bound, with the port resolved (tcp://0.0.0.0:41234).
    std::string endpoint() const;
    // "host:port" of the /metrics endpoint, with the port resolved; empty
    // without options.metrics_listen.
    std::string metrics_address() const;
    // The broker's CURVE public key (Z85), which its clients must be given;
    // empty for a plain broker.
    std::string curve_public_key() const;
    // Any thread: from the next handshake on, these client keys are allowed
    // (a reload). Connections made before stay. Ignored by a plain broker.
    void set_allowed_keys(std::shared_ptr<const std::unordered_map<std::string, std::string>> keys);

    // Serves until stop() is called, then drains: new and queued requests get
    // UNAVAILABLE, in-flight ones get drain_timeout to finish, and every worker
    // gets DISCONNECT. Call it on one thread only; the socket lives there.
    void run();

    // Asks run() to drain and return. Any thread, and async-signal-safe.
    void stop() noexcept;

    broker_stats stats() const noexcept;

    // Replaces the access control from the next burst of messages on (a
    // reload: SIGHUP). Peers still allowed are untouched; one no longer
    // allowed is refused at its next message. Null turns checking off. Any
    // thread; the broker's loop takes it up through a wake-up, never a lock
    // on its path.
    void set_access(std::shared_ptr<const broker_access> access);

private:
    struct impl;
    void set_up(std::unique_ptr<impl> bound);
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet
