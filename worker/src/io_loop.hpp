#pragma once
// The worker's network thread: it owns every connection's socket, runs
// non-blocking handlers itself, hands blocking ones to the pool, and sends
// the replies that come back.

#include <spdlog/logger.h>

#include <initializer_list>
#include <memory>
#include <random>
#include <vector>

#include "connection.hpp"
#include "handler_pool.hpp"
#include "handler_table.hpp"
#include "shared_state.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/bus/service_name.hpp"
#include "skynet/runtime/event_fd.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::worker_detail {

class io_loop {
public:
    // `stop` is owned by the caller and outlives the loop: signalled means stop.
    io_loop(const worker_options& options, const bus::service_name& announced,
            std::shared_ptr<shared_state> state, const handler_table& handlers, handler_pool& pool,
            const runtime::event_fd& stop);
    io_loop(const io_loop&) = delete;
    io_loop& operator=(const io_loop&) = delete;

    // Serves until stopped and drained. Runs on the network thread.
    void run();

private:
    // Connections (connections.cpp).
    void add_connection(const std::string& endpoint, bool negotiate);
    void add_plain_connections(const std::string& endpoint);
    void serve_on(const std::vector<std::string>& endpoints, time_point now);
    void retire(connection& c, time_point now);
    void apply_control(time_point now);
    void set_registered(bool registered, time_point now);
    std::string routing_id(const connection& c) const;
    void open(connection& c, time_point now);
    void lose(connection& c, time_point now, std::string_view why);
    void send_ready(connection& c, time_point now);
    void send_pause(connection& c, bool pause, time_point now);
    bool plain_broker(const std::string& endpoint) const noexcept;
    bool send(connection& c, time_point now);
    void on_message(connection& c, time_point now);
    void on_mmi_reply(connection& c, bus::mdp::client_message& reply, time_point now);
    void accept_terms(connection& c, const bus::mmi::credit_grant& grant);
    void on_tick(time_point now);
    void read_socket(connection& c, time_point now);

    // Requests (requests.cpp).
    void on_request(connection& c, bus::mdp::request& r, time_point now);
    void on_request_batch(connection& c, zmq::message_t& frame, time_point now);
    void on_record(connection& c, zmq::message_t& batch, const bus::batch::record& record,
                   time_point now);
    bool takes_envelopes() const noexcept;
    // Serves a request built from our envelope, or answers why it could not
    // be built. False if the body is plain MDP after all, for serve_raw.
    bool serve_envelope(connection& c, reply_route& route, bus::result<request>& built, bool ours,
                        std::string_view header, time_point now);
    void serve_raw(connection& c, reply_route&& route, std::span<zmq::message_t> body,
                   time_point now);
    // A reply goes back the way its request came: in the connection's next
    // batch frame, or as a REPLY of its own.
    void send_reply(connection& c, reply_route&& route, bus::frames& body, time_point now);
    static bool fits_batch(const connection& c, std::span<const zmq::message_t> body) noexcept;
    void flush_replies(connection& c, time_point now);
    void dispatch(connection& c, reply_route&& route, request&& req, const handler_entry* entry,
                  time_point now);
    void run_inline(connection& c, reply_route&& route, const request& req,
                    const handler_entry& entry, time_point now);
    void reply_now(connection& c, reply_route&& route, std::string_view request_id, bus::errc code,
                   std::string_view message, time_point now);
    void deliver_completions(time_point now);
    void sent_reply(bus::errc code);

    // Stopping (io_loop.cpp).
    void begin_drain(time_point now);
    bool drained() const noexcept;
    void finish(time_point now);
    void rebuild_poll_items();

    const worker_options& options_;
    const std::string announced_;  // "name@version", or the bare name
    const std::string bare_name_;  // what a plain broker knows us by
    const std::shared_ptr<shared_state> state_;
    const handler_table& handlers_;
    handler_pool& pool_;
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter malformed_log_;
    // Before the sockets (connections_), so that they close first.
    std::shared_ptr<zmq::context_t> context_owner_;  // options_.context, or our own
    zmq::context_t& context_;
    std::vector<std::unique_ptr<connection>> connections_;
    // Endpoints that answered mmi.credit 501: given plain connections, and
    // told our bare name.
    std::vector<std::string> plain_brokers_;
    // Stop fd, completions fd, control fd, then sockets.
    static constexpr std::size_t fixed_items = 3;
    std::vector<zmq_pollitem_t> items_;
    std::vector<connection*> polled_;  // the connection of items_[i + fixed_items]
    bool items_dirty_ = true;
    bus::frames in_;
    bus::frames out_;
    bus::frames reply_body_;  // a reply's body, before it is framed or batched
    bus::frames unbatched_;   // a batch record as frames of its own
    std::vector<completion> completions_;
    const runtime::event_fd& stop_;
    std::vector<control_change> controls_;
    enum class phase { serving, draining, done } phase_ = phase::serving;
    time_point drain_deadline_{};
    time_point next_tick_{};
    std::uint32_t target_credit_;
    // How often on_tick runs: shorter when a broker's heartbeat is.
    std::chrono::milliseconds tick_;
    bool registered_ = true;  // taking new requests (sky register/unregister)
    std::minstd_rand jitter_;
};

}  // namespace skynet::worker_detail
