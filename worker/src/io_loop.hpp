#pragma once
// The worker's network thread, as a thin loop: it polls the connections'
// sockets and its mailboxes, hands each REQUEST's messages to the
// dispatcher and everything else to the connection set, and runs the
// phases of a stop (serving, draining, done).

#include <spdlog/logger.h>

#include <memory>
#include <vector>

#include "connection_set.hpp"
#include "handler_pool.hpp"
#include "handler_table.hpp"
#include "request_dispatcher.hpp"
#include "shared_state.hpp"
#include "skynet/bus/mdp.hpp"
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
    void on_ready(time_point now);
    void read_socket(connection& c, time_point now);
    void on_message(connection& c, time_point now);
    // A REQUEST: one request, or a batch frame of them, each to the dispatcher.
    void on_requests(connection& c, bus::mdp::request& r, time_point now);
    void apply_control(time_point now);
    void rebuild_poll_items();

    // Stopping: refuse new work, finish what is in flight, then DISCONNECT.
    void begin_drain(time_point now);
    bool drained() const noexcept;
    void finish(time_point now);

    const worker_options& options_;
    const std::string announced_;  // for the logs
    const std::shared_ptr<shared_state> state_;
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter malformed_log_;
    connection_set connections_;
    request_dispatcher dispatcher_;
    // Stop fd, completions fd, control fd, then sockets.
    static constexpr std::size_t fixed_items = 3;
    std::vector<zmq_pollitem_t> items_;
    std::vector<connection*> polled_;  // the connection of items_[i + fixed_items]
    bus::frames in_;
    const runtime::event_fd& stop_;
    std::vector<control_change> controls_;
    enum class phase { serving, draining, done } phase_ = phase::serving;
    time_point drain_deadline_{};
    time_point next_tick_{};
};

}  // namespace skynet::worker_detail
