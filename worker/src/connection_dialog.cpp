// The worker half of 7/MDP's dialog, per connection: open, negotiate credit,
// READY, heartbeats both ways, and a new socket after a loss (part of
// connection_set.hpp).
#include <algorithm>

#include "connection_set.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::worker_detail {

namespace mdp = bus::mdp;
namespace mmi = bus::mmi;

void connection_set::open(connection& c, time_point now) {
    c.socket.reset();  // closed before its successor connects, as always
    ++c.epoch;
    runtime::socket_options options;
    options.routing_id = routing_id(c);
    runtime::set_curve_client(
        options, {options_.curve_public_key, options_.curve_secret_key, options_.broker_key});
    try {
        c.socket.emplace(runtime::connect_dealer(context_, c.endpoint, options));
    } catch (const zmq::error_t& e) {
        // An endpoint from the registry that ZeroMQ refuses (ours are checked
        // in the constructor): never a reason to end the process. It stays
        // retired until the registry names it again.
        log_->error("cannot connect broker={} error=\"{}\"", c.endpoint, e.what());
        c.state = connection::phase::closed;
        c.retired = true;
        items_changed_ = true;
        return;
    }
    c.credit = 1;
    c.outbox.reset();
    c.heartbeat = options_.heartbeat;
    c.silence_limit = options_.heartbeat * options_.liveness;
    c.last_heard = now;
    c.last_sent = now;
    items_changed_ = true;
    if (c.negotiate) {
        // docs/design.md: ask for a credit on our own socket before READY.
        c.state = connection::phase::negotiating;
        c.negotiate_until = now + options_.heartbeat;
        // Batch frames are worth asking for only with requests to gather.
        out_.clear();
        mmi::put_credit_request(out_, {target_credit_, options_.batching && target_credit_ > 1});
        c.send(out_, now);
    } else {
        send_ready(c, now);
    }
}

void connection_set::send_ready(connection& c, time_point now) {
    // docs/design.md: a plain broker matches names exactly, and its clients
    // know our service by its bare name.
    const auto& name = plain_broker(c.endpoint) ? bare_name_ : announced_;
    out_.clear();
    mdp::put_ready(out_, name);
    c.send(out_, now);
    c.state = connection::phase::serving;
    log_->info("ready service={} broker={} credit={} heartbeat_ms={}", name, c.endpoint, c.credit,
               c.heartbeat.count());
    if (!registered_) {
        send_pause(c, true, now);  // connected, but no requests yet
    }
    run_hook(state_->hooks.registered, "registered", c.endpoint);
}

void connection_set::send_pause(connection& c, bool pause, time_point now) {
    out_.clear();
    mmi::put_pause(out_, pause);
    c.send(out_, now);
}

void connection_set::lose(connection& c, time_point now, std::string_view why) {
    log_->warn("lost broker broker={} reason=\"{}\" retry_in_ms={}", c.endpoint, why,
               c.backoff.count());
    if (c.state == connection::phase::serving) {
        run_hook(state_->hooks.unregistered, "unregistered", c.endpoint);
    }
    c.socket.reset();  // linger 0: what it still queued belongs to a dead dialog
    c.outbox.clear();  // so do replies not sent yet: the broker has answered them
    c.state = connection::phase::closed;
    c.pause_pending = false;
    items_changed_ = true;
    worker_counters::add(state_->stats.reconnects);
    // Backoff with jitter, so that workers of a failed broker do not all come
    // back in the same instant.
    std::uniform_real_distribution<double> spread(0.75, 1.25);
    c.reopen_at =
        now + std::chrono::duration_cast<std::chrono::milliseconds>(c.backoff * spread(jitter_));
    c.backoff = std::min(c.backoff * 2, options_.reconnect_max);
}

void connection_set::heard(connection& c, time_point now, bool reset_backoff) {
    c.last_heard = now;  // 7/MDP: any command counts as a heartbeat
    if (reset_backoff) {
        c.backoff = options_.reconnect_min;
    }
}

void connection_set::on_mmi_reply(connection& c, mdp::client_message& reply, time_point now) {
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
void connection_set::accept_terms(connection& c, const mmi::credit_grant& grant) {
    if (options_.batching && grant.batch_limit > 0) {
        c.outbox.agree(grant.batch_limit);
    }
    if (grant.heartbeat.known()) {
        const auto theirs = grant.heartbeat.interval;
        c.heartbeat = std::min(options_.heartbeat, theirs);
        c.silence_limit = std::max(c.silence_limit, theirs * grant.heartbeat.liveness);
        tick_ = std::min(tick_, std::max(c.heartbeat / 2, std::chrono::milliseconds(1)));
    }
}

void connection_set::on_tick(time_point now) {
    for (auto& ptr : connections_) {
        auto& c = *ptr;
        switch (c.state) {
            case connection::phase::closed:
                if (!draining_ && !c.retired && now >= c.reopen_at) {
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
                    c.send(out_, now);
                }
                break;
        }
    }
}

}  // namespace skynet::worker_detail
