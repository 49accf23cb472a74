// Which brokers the worker serves on, and whether it takes new requests:
// changes that arrive while it runs, from registry discovery and from sky.
#include <algorithm>

#include "io_loop.hpp"
#include "skynet/bus/worker_routing_id.hpp"

namespace skynet::worker_detail {

std::string io_loop::routing_id(const connection& c) const {
    // "<instance id>/<connection>/<epoch>": unique per socket, so that a new
    // socket never collides with the old one still known to the broker, and
    // the broker can name our instance when it sees us die.
    return bus::make_worker_routing_id(state_->instance_id, c.index, c.epoch);
}

void io_loop::serve_on(const std::vector<std::string>& endpoints, time_point now) {
    auto wanted = [&](const std::string& endpoint) {
        return std::find(endpoints.begin(), endpoints.end(), endpoint) != endpoints.end();
    };
    for (auto& c : connections_) {
        if (!wanted(c->endpoint) && !c->retired) {
            retire(*c, now);
        } else if (wanted(c->endpoint) && c->retired) {
            c->retired = false;  // it came back: on_tick opens it
            c->reopen_at = now;
        }
    }
    for (const auto& endpoint : endpoints) {
        auto known = std::any_of(connections_.begin(), connections_.end(),
                                 [&](const auto& c) { return c->endpoint == endpoint; });
        if (known) {
            continue;
        }
        const auto first = connections_.size();
        if (options_.plain) {
            add_plain_connections(endpoint);
        } else {
            add_connection(endpoint, true);  // credit 1 too: it learns the heartbeat terms
        }
        for (auto i = first; i < connections_.size(); ++i) {
            open(*connections_[i], now);
        }
    }
}

void io_loop::retire(connection& c, time_point now) {
    // Connections are never erased: a reply route names its connection by
    // index. What this one holds is answered into a closed socket, dropped;
    // its broker is gone or going.
    if (c.state == connection::phase::serving) {
        out_.clear();
        bus::mdp::put_disconnect(out_);
        send(c, now);
        if (state_->hooks.unregistered) {
            state_->hooks.unregistered(c.endpoint);
        }
    }
    log_->info("leaving broker={} service={}", c.endpoint, announced_);
    c.socket.reset();
    c.state = connection::phase::closed;
    c.pause_pending = false;
    c.retired = true;
    items_dirty_ = true;
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
        serve_on(*latest.brokers, now);
    }
    if (latest.registered) {
        set_registered(*latest.registered, now);
    }
}

void io_loop::set_registered(bool registered, time_point now) {
    if (registered == registered_) {
        return;
    }
    registered_ = registered;
    log_->info("{} service={}", registered ? "registered" : "unregistered", announced_);
    if (phase_ != phase::serving) {
        return;  // draining: paused already, and staying so
    }
    for (auto& c : connections_) {
        if (c->state == connection::phase::serving) {
            send_pause(*c, !registered, now);
        }
    }
}

}  // namespace skynet::worker_detail
