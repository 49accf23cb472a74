#pragma once
// The worker's network thread: it owns every connection's socket, runs
// non-blocking handlers itself, hands blocking ones to the pool, and sends
// the replies that come back.

#include <initializer_list>
#include <memory>
#include <random>
#include <spdlog/logger.h>
#include <vector>

#include "connection.hpp"
#include "handler_pool.hpp"
#include "handler_table.hpp"
#include "shared_state.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/bus/mdp.hpp"

namespace skynet::worker_detail {

class io_loop {
public:
    // `stop_fd` is an eventfd owned by the caller: readable means stop.
    io_loop(const worker_options& options, std::string announced,
            std::shared_ptr<shared_state> state, const handler_table& handlers,
            handler_pool& pool, int stop_fd);
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
    void send_client_request(connection& c, std::string_view service,
                             std::initializer_list<std::string_view> body, time_point now);
    bool send(connection& c, time_point now);
    void on_message(connection& c, time_point now);
    void on_mmi_reply(connection& c, bus::mdp::client_message& reply, time_point now);
    void accept_batching(connection& c, std::span<zmq::message_t> terms);
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
    bool serve_envelope(connection& c, reply_route& route, bus::result<request>& built,
                        bool ours, std::string_view header, time_point now);
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
    void reply_now(connection& c, reply_route&& route, std::string_view request_id,
                   bus::errc code, std::string_view message, time_point now);
    void deliver_completions(time_point now);
    void sent_reply(bus::errc code);

    // Stopping (io_loop.cpp).
    void begin_drain(time_point now);
    bool drained() const noexcept;
    void finish(time_point now);
    void rebuild_poll_items();

    const worker_options& options_;
    const std::string announced_;
    const std::shared_ptr<shared_state> state_;
    const handler_table& handlers_;
    handler_pool& pool_;
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter malformed_log_;
    // Before the sockets (connections_), so that they close first.
    std::shared_ptr<zmq::context_t> context_owner_;  // options_.context, or our own
    zmq::context_t& context_;
    std::vector<std::unique_ptr<connection>> connections_;
    std::vector<std::string> expanded_;  // endpoints given plain connections after a 501
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
    int stop_fd_;
    enum class phase { serving, draining, done } phase_ = phase::serving;
    time_point drain_deadline_{};
    time_point next_tick_{};
    std::uint32_t target_credit_;
    bool registered_ = true;  // taking new requests (sky register/unregister)
    std::minstd_rand jitter_;
};

}  // namespace skynet::worker_detail
