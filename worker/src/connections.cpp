// The worker half of 7/MDP's dialog, per connection: open, negotiate credit,
// READY, heartbeats both ways, and a new socket after a loss.
#include <algorithm>

#include "io_loop.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::worker_detail {

namespace mdp = bus::mdp;
namespace mmi = bus::mmi;

namespace {
// A plain broker gives one request per connection; this many connections at
// most stand in for a credit it would not grant.
constexpr std::uint32_t max_plain_connections = 64;
}  // namespace

void io_loop::add_connection(const std::string& endpoint, bool negotiate) {
    auto c = std::make_unique<connection>();
    c->index = static_cast<std::uint32_t>(connections_.size());
    c->endpoint = endpoint;
    c->negotiate = negotiate;
    c->backoff = options_.reconnect_min;
    connections_.push_back(std::move(c));
}

void io_loop::add_plain_connections(const std::string& endpoint) {
    auto count = std::min(target_credit_, max_plain_connections);
    for (std::uint32_t i = 0; i < count; ++i) {
        add_connection(endpoint, false);
    }
}

void io_loop::open(connection& c, time_point now) {
    c.socket.reset();  // closed before its successor connects, as always
    ++c.epoch;
    runtime::socket_options options;
    options.routing_id = routing_id(c);
    c.socket.emplace(runtime::connect_dealer(context_, c.endpoint, options));
    c.credit = 1;
    c.batching = false;
    c.batch_limit = bus::batch::default_limit;
    c.replies.clear();
    c.heartbeat = options_.heartbeat;
    c.silence_limit = options_.heartbeat * options_.liveness;
    c.last_heard = now;
    c.last_sent = now;
    items_dirty_ = true;
    if (c.negotiate) {
        // docs/design.md: ask for a credit on our own socket before READY.
        c.state = connection::phase::negotiating;
        c.negotiate_until = now + options_.heartbeat;
        // Batch frames are worth asking for only with requests to gather.
        out_.clear();
        mmi::put_credit_request(out_, {target_credit_, options_.batching && target_credit_ > 1});
        send(c, now);
    } else {
        send_ready(c, now);
    }
}

void io_loop::send_ready(connection& c, time_point now) {
    // docs/design.md: a plain broker matches names exactly, and its clients
    // know our service by its bare name.
    const auto& name = plain_broker(c.endpoint) ? bare_name_ : announced_;
    out_.clear();
    mdp::put_ready(out_, name);
    send(c, now);
    c.state = connection::phase::serving;
    log_->info("ready service={} broker={} credit={} heartbeat_ms={}", name, c.endpoint, c.credit,
               c.heartbeat.count());
    if (!registered_) {
        send_pause(c, true, now);  // connected, but no requests yet
    }
    if (state_->hooks.registered) {
        state_->hooks.registered(c.endpoint);
    }
}

void io_loop::send_pause(connection& c, bool pause, time_point now) {
    out_.clear();
    mmi::put_pause(out_, pause);
    send(c, now);
}

bool io_loop::plain_broker(const std::string& endpoint) const noexcept {
    return std::find(plain_brokers_.begin(), plain_brokers_.end(), endpoint) !=
           plain_brokers_.end();
}

bool io_loop::send(connection& c, time_point now) {
    c.last_sent = now;
    // Never blocks the network thread: a broker that does not read loses the
    // message, and heartbeats soon tell us it is gone.
    if (bus::send_frames(*c.socket, out_, true) != bus::send_outcome::sent) {
        log_->warn("broker not reading, message dropped broker={}", c.endpoint);
        return false;
    }
    return true;
}

void io_loop::lose(connection& c, time_point now, std::string_view why) {
    log_->warn("lost broker broker={} reason=\"{}\" retry_in_ms={}", c.endpoint, why,
               c.backoff.count());
    if (c.state == connection::phase::serving && state_->hooks.unregistered) {
        state_->hooks.unregistered(c.endpoint);
    }
    c.socket.reset();   // linger 0: what it still queued belongs to a dead dialog
    c.replies.clear();  // so do replies not sent yet: the broker has answered them
    c.state = connection::phase::closed;
    c.pause_pending = false;
    items_dirty_ = true;
    worker_counters::add(state_->stats.reconnects);
    // Backoff with jitter, so that workers of a failed broker do not all come
    // back in the same instant.
    std::uniform_real_distribution<double> spread(0.75, 1.25);
    c.reopen_at =
        now + std::chrono::duration_cast<std::chrono::milliseconds>(c.backoff * spread(jitter_));
    c.backoff = std::min(c.backoff * 2, options_.reconnect_max);
}

void io_loop::on_message(connection& c, time_point now) {
    auto decoded = mdp::decode_at_worker(in_);
    if (!decoded) {
        worker_counters::add(state_->stats.malformed);
        if (malformed_log_.allow(now)) {
            log_->warn("dropped malformed message broker={} reason=\"{}\" suppressed={}",
                       c.endpoint, decoded.err().detail, malformed_log_.suppressed());
        }
        return;
    }
    c.last_heard = now;  // 7/MDP: any command counts as a heartbeat
    if (auto* request = std::get_if<mdp::request>(&*decoded)) {
        c.backoff = options_.reconnect_min;
        // A batch may come even if the broker's answer to our question did
        // not (it came after we gave up waiting and sent READY): the broker
        // grants what we asked for with the READY that follows.
        if (options_.batching && c.negotiate && request->body.size() == 1 &&
            bus::view_of(*request->address) == bus::batch::service) {
            on_request_batch(c, request->body[0], now);
        } else {
            on_request(c, *request, now);
        }
    } else if (std::holds_alternative<mdp::heartbeat>(*decoded)) {
        c.backoff = options_.reconnect_min;
    } else if (std::holds_alternative<mdp::disconnect>(*decoded)) {
        lose(c, now, "broker sent DISCONNECT");
    } else {
        on_mmi_reply(c, std::get<mdp::client_message>(*decoded), now);
    }
}

void io_loop::on_mmi_reply(connection& c, mdp::client_message& reply, time_point now) {
    if (reply.service == mmi::pause) {
        c.pause_pending = false;  // "200", or "501" from a plain broker
        return;
    }
    if (reply.service != mmi::credit) {
        return;
    }
    const auto status = mmi::status_of(reply.body);
    auto grant = mmi::decode_credit_grant(reply.body);
    if (grant) {
        accept_terms(c, *grant);
    }
    if (c.state != connection::phase::negotiating) {
        return;  // a late answer: READY has gone, and with it the grant took hold
    }
    if (grant) {
        c.credit = grant->credit;
    } else if (status == mmi::status::not_implemented && !plain_broker(c.endpoint)) {
        // A plain broker: one request per connection, so more connections,
        // each announcing the bare name (send_ready).
        plain_brokers_.push_back(c.endpoint);
        auto first = connections_.size();
        auto count = std::min(target_credit_, max_plain_connections);
        for (std::uint32_t i = 1; i < count; ++i) {
            add_connection(c.endpoint, false);
        }
        for (auto i = first; i < connections_.size(); ++i) {
            open(*connections_[i], now);
        }
    }
    send_ready(c, now);
}

// docs/design.md: what the broker granted beside the credit. Batches: the
// most bytes it takes in one frame; from then on, replies to requests that
// came in a batch go back in one (a batch the broker sends is known by its
// address, answer or not). Heartbeats: the stricter of its terms and ours,
// so that neither side takes the other for dead because their options
// differ.
void io_loop::accept_terms(connection& c, const mmi::credit_grant& grant) {
    if (options_.batching && grant.batch_limit > 0) {
        c.batching = true;
        c.batch_limit = std::min(grant.batch_limit, bus::batch::default_limit);
    }
    if (grant.heartbeat.known()) {
        const auto theirs = grant.heartbeat.interval;
        c.heartbeat = std::min(options_.heartbeat, theirs);
        c.silence_limit = std::max(c.silence_limit, theirs * grant.heartbeat.liveness);
        tick_ = std::min(tick_, std::max(c.heartbeat / 2, std::chrono::milliseconds(1)));
    }
}

void io_loop::on_tick(time_point now) {
    for (auto& ptr : connections_) {
        auto& c = *ptr;
        switch (c.state) {
            case connection::phase::closed:
                if (phase_ == phase::serving && !c.retired && now >= c.reopen_at) {
                    open(c, now);
                }
                break;
            case connection::phase::negotiating:
                if (now >= c.negotiate_until) {
                    send_ready(c, now);  // no answer: a broker that ignores mmi.*, or a slow one
                }
                break;
            case connection::phase::serving:
                if (now - c.last_heard >= c.silence_limit) {
                    lose(c, now, "broker silent");
                } else if (now - c.last_sent >= c.heartbeat - tick_) {
                    // The next tick could be too late: never more than
                    // `heartbeat` between two messages.
                    out_.clear();
                    mdp::put_heartbeat(out_);
                    send(c, now);
                }
                break;
        }
    }
}

}  // namespace skynet::worker_detail
