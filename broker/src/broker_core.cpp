// The coordinator: each 7/MDP command read, and handed to the objects that
// own the broker's state; workers' commands, time and shutdown. A request's
// own path is in request_path.cpp.
#include "broker_core.hpp"

#include <variant>

#include "skynet/bus/mmi.hpp"
#include "skynet/bus/service_name.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

broker_core::broker_core(const broker_options& options, zmq::socket_ref router, counters& stats)
    : options_(options),
      // A batch stays well under what the ROUTER reads at all (four times
      // the largest message), even with one record past the limit.
      batch_limit_(std::min(bus::batch::default_limit, options.max_message_size)),
      stats_(stats),
      out_(router, stats),
      log_(runtime::logger_for("broker")),
      clients_(options.max_clients, options.max_client_requests),
      services_(options_, out_, stats),
      workers_(options_, out_, stats),
      mmi_(options_, batch_limit_, services_, workers_, out_, stats),
      access_(options.access, stats) {
    out_.set_batch_limit(batch_limit_);
}

broker_core::~broker_core() = default;

void broker_core::on_message(bus::frames& message, time_point now) {
    if (message.empty()) {
        return;
    }
    auto& identity = message[0];
    const auto peer = bus::view_of(identity);
    peer_key_ = access_.enforcing() ? access_gate::key_of(message) : std::string_view();
    auto decoded = mdp::decode_at_broker(std::span(message).subspan(1));
    if (!decoded) {
        malformed(peer, decoded.err(), now);
        // 7/MDP: treat a peer that sends invalid messages as invalid. A worker
        // is dropped, so that what it holds is recovered rather than left to
        // its clients' deadlines.
        if (auto* w = workers_.find(peer)) {
            protocol_error(*w, "malformed message", now);
        }
        return;
    }
    std::visit(
        [&](auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, mdp::client_message>) {
                on_client_message(identity, m, now);
            } else if constexpr (std::is_same_v<T, mdp::ready>) {
                on_ready(peer, m.service, now);
            } else {
                auto* w = workers_.find(peer);
                if (w == nullptr) {
                    if constexpr (!std::is_same_v<T, mdp::disconnect>) {
                        on_unknown_peer(peer);
                    }
                    return;
                }
                if (!still_allowed(*w, now)) {
                    return;
                }
                if constexpr (std::is_same_v<T, mdp::reply>) {
                    on_worker_reply(*w, m, now);
                } else if constexpr (std::is_same_v<T, mdp::heartbeat>) {
                    on_heartbeat(*w, now);
                } else {
                    on_disconnect(*w, now);
                }
            }
        },
        *decoded);
}

void broker_core::flush(time_point now) {
    unreachable_.clear();
    out_.flush_staged(unreachable_);
    for (const auto& identity : unreachable_) {
        // It never got those requests, nor will it answer the others in time.
        if (auto* w = workers_.find(identity)) {
            protocol_error(*w, "worker not reachable", now);
        }
    }
}

void broker_core::malformed(std::string_view identity, const bus::error& why, time_point now) {
    stats_.malformed.add();
    if (malformed_log_.allow(now)) {
        log_->warn("dropped malformed message peer_bytes={} reason=\"{}\" suppressed={}",
                   identity.size(), why.detail, malformed_log_.suppressed());
    }
}

void broker_core::on_ready(std::string_view identity, std::string_view name, time_point now) {
    if (auto* existing = workers_.find(identity)) {
        protocol_error(*existing, "second READY", now);  // 7/MDP: a worker sends READY once
        return;
    }
    if (draining_ || bus::mmi::is_internal(name)) {
        on_unknown_peer(identity);  // DISCONNECT: we are closing, or the name is ours
        return;
    }
    if (!access_.may_offer(peer_key_, name)) {
        // It never joins a service, so it never gets a request.
        access_.refused_offer(peer_key_, name, now);
        out_.command(identity, mdp::command::disconnect);
        return;
    }
    // "name@version" serves both "name@version" and "name".
    const auto parts = bus::split_service_name(name);
    const bool versioned = !parts.version.empty();
    service* named = services_.named(name, now);
    service* base = versioned ? services_.named(parts.name, now) : nullptr;
    if (named == nullptr || (versioned && base == nullptr)) {
        on_unknown_peer(identity);  // too many services: refuse the worker
        return;
    }
    auto& w = workers_.join(identity, name, *named, base, now);
    w.access_generation = access_.generation();
    for (int i = 0; i < w.entry_count; ++i) {
        services_.worker_joined(*w.entries[i].svc);
    }
    if (serve_queued(w, now)) {
        workers_.make_ready(w);
    }
}

void broker_core::on_heartbeat(worker_peer& w, time_point now) {
    const bool was_unready = !w.has_credit();
    workers_.heard(w, now);
    back_in_service(w, was_unready, now);
}

void broker_core::back_in_service(worker_peer& w, bool was_unready, time_point now) {
    // A failed send in serve_queued removes the worker: `w` is gone then.
    if (was_unready && w.has_credit() && serve_queued(w, now)) {
        workers_.make_ready(w);
    }
}

void broker_core::on_disconnect(worker_peer& w, time_point now) {
    log_->info("worker left service={} holding={}", w.announced, w.holding);
    remove_worker(w, now);  // 7/MDP: send it nothing more, not even DISCONNECT
}

void broker_core::on_unknown_peer(std::string_view identity) {
    // 7/MDP: a valid but unexpected command is answered with DISCONNECT, so
    // that a worker we forgot (we restarted, or dropped it) reconnects.
    out_.command(identity, mdp::command::disconnect);
    stats_.disconnects.add();
}

bool broker_core::still_allowed(worker_peer& w, time_point now) {
    if (w.access_generation == access_.generation()) {
        return true;  // checked at READY or since under the access in force
    }
    if (access_.may_offer(peer_key_, w.announced)) {
        w.access_generation = access_.generation();
        return true;
    }
    access_.refused_offer(peer_key_, w.announced, now);
    out_.command(w.identity, mdp::command::disconnect);
    remove_worker(w, now);  // what it holds is recovered
    return false;
}

void broker_core::protocol_error(worker_peer& w, std::string_view why, time_point now) {
    log_->warn("disconnecting worker service={} reason=\"{}\"", w.announced, why);
    out_.command(w.identity, mdp::command::disconnect);
    stats_.disconnects.add();
    remove_worker(w, now);
}

void broker_core::remove_worker(worker_peer& w, time_point now) {
    out_.discard_staged(w.requests);  // what it would have got is recovered below
    for (int i = 0; i < w.entry_count; ++i) {
        services_.worker_left(*w.entries[i].svc, now);
    }
    // Out of the pool first: recovering its requests may dispatch them, and
    // must not find it.
    auto owned = workers_.leave(w);
    while (auto* slot = owned->held.front()) {
        workers_.release(*owned, *slot);
        recover(*slot, now);
    }
}

void broker_core::on_mmi(zmq::message_t& client, mdp::client_message& request, time_point now) {
    if (request.service == bus::mmi::cancel) {
        on_mmi_cancel(client, request, now);
        return;
    }
    if (request.service == bus::mmi::pause || request.service == bus::mmi::resume) {
        on_mmi_pause(client, request, request.service == bus::mmi::pause, now);
        return;
    }
    mmi_.answer(client, request, now);
}

// Our workers ask for no new requests while they drain (or are unregistered),
// and for requests again when resumed. What they hold is unaffected.
void broker_core::on_mmi_pause(zmq::message_t& client, mdp::client_message& request, bool pause,
                               time_point now) {
    auto* w = workers_.find(bus::view_of(client));
    if (w == nullptr) {
        out_.mmi_reply(client, request.service, {bus::mmi::code::not_found});
        return;
    }
    workers_.pause(*w, pause, now);
    if (!pause) {
        if (!serve_queued(*w, now)) {
            return;  // unreachable, and dropped
        }
        workers_.make_ready(*w);
    }
    out_.mmi_reply(client, request.service, {bus::mmi::code::ok});
}

void broker_core::on_tick(time_point now) {
    workers_.on_tick(now);
    services_.on_tick(now);
    for (auto* w : workers_.call_roll(now)) {
        if (options_.on_worker_lost) {
            options_.on_worker_lost(w->identity);
        }
        remove_worker(*w, now);
    }
    services_.report_changes();
    stats_.clients.set(clients_.active());
    if (now >= next_forget_) {
        next_forget_ = now + options_.heartbeat;
        services_.forget_idle();
        clients_.trim();
        workers_.forget_credits(now);
    }
}

broker_snapshot broker_core::snapshot() {
    broker_snapshot s;
    s.stats = stats_.snapshot();
    s.services = snapshot_services(services_, workers_);
    return s;
}

void broker_core::begin_drain(time_point now) {
    (void)now;
    draining_ = true;
    services_.drain();
    log_->info("draining in_flight={} workers={}", inflight_.in_use(), workers_.size());
}

void broker_core::finish(time_point now) {
    for (auto* w : workers_.everyone()) {
        out_.command(w->identity, mdp::command::disconnect);
        remove_worker(*w, now);  // what it still holds is answered
    }
}

}  // namespace skynet::broker_detail
