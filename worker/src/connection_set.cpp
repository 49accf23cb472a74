// Which brokers the worker serves on, whether it takes new requests, and
// closing: the connection set as a whole (connection_set.hpp).
#include "connection_set.hpp"

#include <unistd.h>

#include <algorithm>

#include "skynet/bus/worker_routing_id.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::worker_detail {

connection_set::connection_set(const worker_options& options, const bus::service_name& announced,
                               std::shared_ptr<shared_state> state)
    : options_(options),
      announced_(announced.to_string()),
      bare_name_(announced.name()),
      state_(std::move(state)),
      log_(runtime::logger_for("worker")),
      context_owner_(runtime::context_or_own(options.context)),
      context_(*context_owner_),
      target_credit_(options.credit != 0 ? options.credit
                                         : static_cast<std::uint32_t>(options.concurrency)),
      tick_(std::min(options.heartbeat, std::chrono::milliseconds(100))),
      jitter_(static_cast<std::uint32_t>(getpid()) ^
              static_cast<std::uint32_t>(bus::clock::now().time_since_epoch().count())) {}

void connection_set::add_connection(const std::string& endpoint, bool negotiate) {
    auto c = std::make_unique<connection>();
    c->index = static_cast<std::uint32_t>(connections_.size());
    c->endpoint = endpoint;
    c->negotiate = negotiate;
    c->backoff = options_.reconnect_min;
    c->log = log_;
    connections_.push_back(std::move(c));
}

void connection_set::add_plain_connections(const std::string& endpoint) {
    auto count = std::min(target_credit_, max_plain_connections);
    for (std::uint32_t i = 0; i < count; ++i) {
        add_connection(endpoint, false);
    }
}

std::string connection_set::routing_id(const connection& c) const {
    // "<instance id>/<connection>/<epoch>": unique per socket, so that a new
    // socket never collides with the old one still known to the broker, and
    // the broker can name our instance when it sees us die.
    return bus::make_worker_routing_id(state_->instance_id, c.index, c.epoch);
}

bool connection_set::plain_broker(const std::string& endpoint) const noexcept {
    return std::find(plain_brokers_.begin(), plain_brokers_.end(), endpoint) !=
           plain_brokers_.end();
}

void connection_set::serve_on(const std::vector<std::string>& endpoints, time_point now) {
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

void connection_set::retire(connection& c, time_point now) {
    // Connections are never erased: a reply route names its connection by
    // index. What this one holds is answered into a closed socket, dropped;
    // its broker is gone or going.
    if (c.state == connection::phase::serving) {
        out_.clear();
        bus::mdp::put_disconnect(out_);
        c.send(out_, now);
        run_hook(state_->hooks.unregistered, "unregistered", c.endpoint);
    }
    log_->info("leaving broker={} service={}", c.endpoint, announced_);
    c.socket.reset();
    c.state = connection::phase::closed;
    c.pause_pending = false;
    c.retired = true;
    items_changed_ = true;
}

void connection_set::set_registered(bool registered, time_point now) {
    if (registered == registered_) {
        return;
    }
    registered_ = registered;
    log_->info("{} service={}", registered ? "registered" : "unregistered", announced_);
    if (draining_) {
        return;  // draining: paused already, and staying so
    }
    for (auto& c : connections_) {
        if (c->state == connection::phase::serving) {
            send_pause(*c, !registered, now);
        }
    }
}

void connection_set::pause_for_drain(time_point now) {
    draining_ = true;
    // Our brokers stop sending us requests; a plain broker answers 501 and
    // goes on, and we serve what it sends until we disconnect.
    for (auto& c : connections_) {
        if (c->state == connection::phase::serving) {
            send_pause(*c, true, now);
            c->pause_pending = true;
        }
    }
}

bool connection_set::pauses_taken() const noexcept {
    for (const auto& c : connections_) {
        if (c->pause_pending) {
            return false;
        }
    }
    return true;
}

void connection_set::close_all(time_point now) {
    for (auto& c : connections_) {
        if (!c->open()) {
            continue;
        }
        c->outbox.flush(now);  // before DISCONNECT: the broker reads in order
        if (c->state == connection::phase::serving) {
            out_.clear();
            bus::mdp::put_disconnect(out_);
            c->send(out_, now);
            run_hook(state_->hooks.unregistered, "unregistered", c->endpoint);
        }
        c->socket->set(zmq::sockopt::linger, 500);  // let DISCONNECT leave
        c->socket.reset();
        c->state = connection::phase::closed;
    }
}

void connection_set::flush_all(time_point now) {
    for (auto& c : connections_) {
        c->outbox.flush(now);
    }
}

void connection_set::append_poll_items(std::vector<zmq_pollitem_t>& items,
                                       std::vector<connection*>& polled) {
    for (auto& c : connections_) {
        if (c->open()) {
            items.push_back({c->socket->handle(), 0, ZMQ_POLLIN, 0});
            polled.push_back(c.get());
        }
    }
    items_changed_ = false;
}

}  // namespace skynet::worker_detail
