#pragma once
// The worker's connections to its brokers, and everything about them: which
// brokers it serves on, each socket and its 7/MDP dialog (credit and batch
// negotiation, READY, heartbeats both ways, a new socket after a loss), the
// pauses that sky and drain ask for, and the sockets' poll items. Runs on
// the network thread only.

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "connection.hpp"
#include "shared_state.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/bus/service_name.hpp"

namespace skynet::worker_detail {

class connection_set {
public:
    connection_set(const worker_options& options, const bus::service_name& announced,
                   std::shared_ptr<shared_state> state);
    connection_set(const connection_set&) = delete;
    connection_set& operator=(const connection_set&) = delete;

    // Membership (connection_set.cpp).
    // Serves on exactly these brokers: new ones are connected, gone ones
    // left with DISCONNECT, ones that came back re-opened on the next tick.
    void serve_on(const std::vector<std::string>& endpoints, time_point now);
    // Taking new requests or not (sky register/unregister): pauses or
    // resumes every serving connection.
    void set_registered(bool registered, time_point now);
    // Draining: asks every broker to stop sending, and never re-opens.
    void pause_for_drain(time_point now);
    // Every broker has taken the pause: nothing more is on its way.
    bool pauses_taken() const noexcept;
    // Sends what each connection gathered, then DISCONNECT, and closes.
    void close_all(time_point now);
    // One batch of replies per connection per turn of the loop.
    void flush_all(time_point now);
    // The connection a reply route names: connections are never erased.
    connection& at(std::uint32_t index) noexcept { return *connections_[index]; }
    // Poll items changed since the last append_poll_items.
    bool poll_items_changed() const noexcept { return items_changed_; }
    // Appends a poll item for each open socket, and its connection.
    void append_poll_items(std::vector<zmq_pollitem_t>& items, std::vector<connection*>& polled);

    // Each connection's dialog (connection_dialog.cpp).
    // The broker's answer to one of our mmi.* requests on `c`.
    void on_mmi_reply(connection& c, bus::mdp::client_message& reply, time_point now);
    // The broker sent something: it is alive, and c's backoff starts over.
    void heard(connection& c, time_point now, bool reset_backoff);
    // Closes `c` after a loss; a new socket follows after a backoff.
    void lose(connection& c, time_point now, std::string_view why);
    // Re-opens, gives up negotiating, sends heartbeats, notices silence.
    void on_tick(time_point now);
    // How often on_tick must run: shorter when a broker's heartbeat is.
    std::chrono::milliseconds tick() const noexcept { return tick_; }

private:
    // A plain broker gives one request per connection; this many connections
    // at most stand in for a credit it would not grant.
    static constexpr std::uint32_t max_plain_connections = 64;

    void add_connection(const std::string& endpoint, bool negotiate);
    void add_plain_connections(const std::string& endpoint);
    void retire(connection& c, time_point now);
    std::string routing_id(const connection& c) const;
    void open(connection& c, time_point now);
    void send_ready(connection& c, time_point now);
    void send_pause(connection& c, bool pause, time_point now);
    bool plain_broker(const std::string& endpoint) const noexcept;
    void accept_terms(connection& c, const bus::mmi::credit_grant& grant);

    const worker_options& options_;
    const std::string announced_;  // "name@version", or the bare name
    const std::string bare_name_;  // what a plain broker knows us by
    const std::shared_ptr<shared_state> state_;
    std::shared_ptr<spdlog::logger> log_;
    // Before the sockets (connections_), so that they close first.
    std::shared_ptr<zmq::context_t> context_owner_;  // options_.context, or our own
    zmq::context_t& context_;
    std::vector<std::unique_ptr<connection>> connections_;
    // Endpoints that answered mmi.credit 501: given plain connections, and
    // told our bare name.
    std::vector<std::string> plain_brokers_;
    bool items_changed_ = true;
    bus::frames out_;  // a command on its way out
    std::uint32_t target_credit_;
    std::chrono::milliseconds tick_;
    bool registered_ = true;  // taking new requests (sky register/unregister)
    bool draining_ = false;   // paused for good, and never re-opening
    std::minstd_rand jitter_;
};

}  // namespace skynet::worker_detail
