#include "io_loop.hpp"

#include <unistd.h>

#include "skynet/runtime/sockets.hpp"

namespace skynet::worker_detail {

namespace {
// Messages read from one socket per wake-up: enough to amortise the poll,
// few enough that timers and other sockets are never starved. Requests are
// counted too, since a batch frame holds hundreds, and so is time: a turn
// that keeps the loop from sending (replies, heartbeats) for long makes the
// broker take the worker for dead (seen under a sanitizer with a 100 ms
// heartbeat, a fib(20) tree and a busy machine).
constexpr int batch = 256;
constexpr std::uint64_t requests_per_turn = 256;
}  // namespace

io_loop::io_loop(const worker_options& options, const bus::service_name& announced,
                 std::shared_ptr<shared_state> state, const handler_table& handlers,
                 handler_pool& pool, const runtime::event_fd& stop)
    : options_(options),
      announced_(announced.to_string()),
      bare_name_(announced.name()),
      state_(std::move(state)),
      handlers_(handlers),
      pool_(pool),
      log_(runtime::logger_for("worker")),
      context_owner_(runtime::context_or_own(options.context)),
      context_(*context_owner_),
      stop_(stop),
      target_credit_(options.credit != 0 ? options.credit
                                         : static_cast<std::uint32_t>(options.concurrency)),
      tick_(std::min(options.heartbeat, std::chrono::milliseconds(100))),
      jitter_(static_cast<std::uint32_t>(getpid()) ^
              static_cast<std::uint32_t>(bus::clock::now().time_since_epoch().count())) {}

void io_loop::run() {
    // Before any READY goes out, so that `registered` never precedes it.
    if (state_->hooks.started) {
        state_->hooks.started();
    }
    auto now = bus::clock::now();
    serve_on(options_.brokers, now);
    while (phase_ != phase::done) {
        if (items_dirty_) {
            rebuild_poll_items();
        }
        bus::poll_until(items_, next_tick_);
        now = bus::clock::now();
        if ((items_[0].revents & ZMQ_POLLIN) != 0) {
            (void)stop_.drain();
            if (phase_ == phase::serving) {
                begin_drain(now);
            }
        }
        if ((items_[1].revents & ZMQ_POLLIN) != 0) {
            deliver_completions(now);
        }
        if ((items_[2].revents & ZMQ_POLLIN) != 0) {
            apply_control(now);
        }
        for (std::size_t i = fixed_items; i < items_.size(); ++i) {
            auto* c = polled_[i - fixed_items];
            // A socket closed earlier in this pass is not read again.
            if ((items_[i].revents & ZMQ_POLLIN) != 0 && c->open() &&
                c->socket->handle() == items_[i].socket) {
                read_socket(*c, now);
            }
        }
        for (auto& c : connections_) {
            flush_replies(*c, now);  // one batch per connection per turn
        }
        if (now >= next_tick_) {
            on_tick(now);
            next_tick_ = now + tick_;
        }
        if (phase_ == phase::draining && (drained() || now >= drain_deadline_)) {
            finish(now);
        }
    }
    if (state_->hooks.stopped) {
        state_->hooks.stopped();
    }
}

void io_loop::read_socket(connection& c, time_point now) {
    const auto epoch = c.epoch;
    const auto& requests = state_->stats.requests;
    const auto first = requests.load(std::memory_order_relaxed);
    const auto until = now + c.heartbeat / 4;
    for (int n = 0; n < batch && c.open() && c.epoch == epoch &&
                    requests.load(std::memory_order_relaxed) - first < requests_per_turn &&
                    (n == 0 || bus::clock::now() < until);
         ++n) {
        if (!bus::recv_frames(*c.socket, in_)) {
            return;
        }
        on_message(c, now);
    }
}

void io_loop::rebuild_poll_items() {
    items_.clear();
    polled_.clear();
    items_.push_back(stop_.poll_item());
    items_.push_back(state_->completions.poll_item());
    items_.push_back(state_->control.poll_item());
    for (auto& c : connections_) {
        if (c->open()) {
            items_.push_back({c->socket->handle(), 0, ZMQ_POLLIN, 0});
            polled_.push_back(c.get());
        }
    }
    items_dirty_ = false;
}

void io_loop::begin_drain(time_point now) {
    phase_ = phase::draining;
    drain_deadline_ = now + options_.drain_timeout;
    log_->info("draining service={} in_flight={}", announced_, state_->stats.in_flight.load());
    // Our brokers stop sending us requests; a plain broker answers 501 and
    // goes on, and we serve what it sends until we disconnect.
    for (auto& c : connections_) {
        if (c->state == connection::phase::serving) {
            send_pause(*c, true, now);
            c->pause_pending = true;
        }
    }
}

bool io_loop::drained() const noexcept {
    // A request still on its way from a broker is not in in_flight yet: wait
    // until every broker has acknowledged the pause, so that none is lost.
    for (const auto& c : connections_) {
        if (c->pause_pending) {
            return false;
        }
    }
    return state_->stats.in_flight.load() == 0;
}

void io_loop::finish(time_point now) {
    deliver_completions(now);
    for (auto& c : connections_) {
        if (!c->open()) {
            continue;
        }
        flush_replies(*c, now);  // before DISCONNECT: the broker reads in order
        if (c->state == connection::phase::serving) {
            out_.clear();
            bus::mdp::put_disconnect(out_);
            send(*c, now);
            if (state_->hooks.unregistered) {
                state_->hooks.unregistered(c->endpoint);
            }
        }
        c->socket->set(zmq::sockopt::linger, 500);  // let DISCONNECT leave
        c->socket.reset();
        c->state = connection::phase::closed;
    }
    state_->completions.close();
    phase_ = phase::done;
    log_->info("stopped service={} unanswered={}", announced_, state_->stats.in_flight.load());
}

}  // namespace skynet::worker_detail
