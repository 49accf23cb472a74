// The worker's network thread: the loop, what it reads, and the phases of
// a stop (io_loop.hpp).
#include "io_loop.hpp"

#include "skynet/bus/mmi.hpp"
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
      state_(state),
      log_(runtime::logger_for("worker")),
      connections_(options, announced, state),
      dispatcher_(state, handlers, pool),
      stop_(stop) {}

void io_loop::run() {
    // Before any READY goes out, so that `registered` never precedes it.
    run_hook(state_->hooks.started, "started");
    auto now = bus::clock::now();
    connections_.serve_on(options_.brokers, now);
    while (phase_ != phase::done) {
        if (connections_.poll_items_changed()) {
            rebuild_poll_items();
        }
        bus::poll_until(items_, next_tick_);
        now = bus::clock::now();
        on_ready(now);
        connections_.flush_all(now);  // one batch per connection per turn
        if (now >= next_tick_) {
            connections_.on_tick(now);
            next_tick_ = now + connections_.tick();
        }
        if (phase_ == phase::draining && (drained() || now >= drain_deadline_)) {
            finish(now);
        }
    }
    run_hook(state_->hooks.stopped, "stopped");
}

// What the poll found ready: a stop, replies from elsewhere, changes from
// other threads, then each socket.
void io_loop::on_ready(time_point now) {
    if ((items_[0].revents & ZMQ_POLLIN) != 0) {
        (void)stop_.drain();
        if (phase_ == phase::serving) {
            begin_drain(now);
        }
    }
    if ((items_[1].revents & ZMQ_POLLIN) != 0) {
        dispatcher_.deliver_completions(connections_, now);
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

void io_loop::on_message(connection& c, time_point now) {
    auto decoded = bus::mdp::decode_at_worker(in_);
    if (!decoded) {
        worker_counters::add(state_->stats.malformed);
        if (malformed_log_.allow(now)) {
            log_->warn("dropped malformed message broker={} reason=\"{}\" suppressed={}",
                       c.endpoint, decoded.err().detail, malformed_log_.suppressed());
        }
        return;
    }
    if (auto* request = std::get_if<bus::mdp::request>(&*decoded)) {
        connections_.heard(c, now, true);
        on_requests(c, *request, now);
    } else if (std::holds_alternative<bus::mdp::heartbeat>(*decoded)) {
        connections_.heard(c, now, true);
    } else if (std::holds_alternative<bus::mdp::disconnect>(*decoded)) {
        connections_.heard(c, now, false);
        connections_.lose(c, now, "broker sent DISCONNECT");
    } else {
        connections_.heard(c, now, false);
        connections_.on_mmi_reply(c, std::get<bus::mdp::client_message>(*decoded), now);
    }
}

// docs/design.md: a REQUEST whose client address is mmi.batch carries a
// batch frame of records, each a request under the broker's address for it.
// A batch may come even if the broker's answer to our question did not (it
// came after we gave up waiting and sent READY): the broker grants what we
// asked for with the READY that follows. A batch that is not whole is
// dropped: no record of it can be trusted, and the broker answers its
// clients when it gives up on us.
void io_loop::on_requests(connection& c, bus::mdp::request& r, time_point now) {
    const auto address = bus::view_of(*r.address);
    if (address == bus::mmi::cancel && c.negotiate) {
        // Not a request: the broker names requests their callers gave up.
        for (const auto& named : r.body) {
            dispatcher_.on_cancel(c, bus::view_of(named));
        }
        return;
    }
    const bool batch =
        options_.batching && c.negotiate && r.body.size() == 1 && address == bus::batch::service;
    auto handed = bus::for_each_message(address, r.body, batch, [&](bus::message_view& m) {
        // A plain request's address frame goes back as it came (moved, not
        // copied); a record's is a view into the batch, copied into a frame.
        auto back = m.batched() ? bus::frame_of(m.route()) : std::move(*r.address);
        dispatcher_.on_request(c, m, reply_route{c.index, c.epoch, std::move(back), m.batched()},
                               now);
        return c.open();
    });
    if (!handed) {
        worker_counters::add(state_->stats.malformed);
        if (malformed_log_.allow(now)) {
            log_->warn("dropped malformed batch broker={} reason=\"{}\"", c.endpoint,
                       handed.err().detail);
        }
    }
}

// The latest change of each kind wins: a broker set superseded before we
// looked is never connected to.
void io_loop::apply_control(time_point now) {
    state_->control.take_all(controls_);
    control_change latest;
    for (auto& change : controls_) {
        if (change.brokers) {
            latest.brokers = std::move(change.brokers);
        }
        if (change.registered) {
            latest.registered = change.registered;
        }
    }
    controls_.clear();
    if (latest.brokers && phase_ == phase::serving) {
        connections_.serve_on(*latest.brokers, now);
    }
    if (latest.registered) {
        connections_.set_registered(*latest.registered, now);
    }
}

void io_loop::rebuild_poll_items() {
    items_.clear();
    polled_.clear();
    items_.push_back(stop_.poll_item());
    items_.push_back(state_->completions.poll_item());
    items_.push_back(state_->control.poll_item());
    connections_.append_poll_items(items_, polled_);
}

void io_loop::begin_drain(time_point now) {
    phase_ = phase::draining;
    drain_deadline_ = now + options_.drain_timeout;
    log_->info("draining service={} in_flight={}", announced_, state_->stats.in_flight.load());
    state_->drain.begin();  // never waits on Redis: the registrar writes on its thread
    connections_.pause_for_drain(now);
}

bool io_loop::drained() const noexcept {
    // A request still on its way from a broker is not in in_flight yet: wait
    // until every broker has acknowledged the pause, so that none is lost.
    return connections_.pauses_taken() && state_->stats.in_flight.load() == 0;
}

void io_loop::finish(time_point now) {
    dispatcher_.deliver_completions(connections_, now);
    connections_.close_all(now);
    state_->completions.close();
    phase_ = phase::done;
    log_->info("stopped service={} unanswered={}", announced_, state_->stats.in_flight.load());
}

}  // namespace skynet::worker_detail
