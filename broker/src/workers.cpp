// The worker half of 7/MDP in the broker: one function per command, and what
// becomes of a worker's requests when it goes.
#include "broker_core.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/bus/service_name.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

void broker_core::on_ready(std::string_view identity, std::string_view name, time_point now) {
    if (auto* existing = find_worker(identity)) {
        protocol_error(*existing, "second READY", now);  // 7/MDP: a worker sends READY once
        return;
    }
    if (draining_ || bus::mmi::is_internal(name)) {
        on_unknown_peer(identity);  // DISCONNECT: we are closing, or the name is ours
        return;
    }
    auto peer = std::make_unique<worker_peer>();
    auto& w = *peer;
    w.identity = std::string(identity);
    w.announced = std::string(name);
    if (auto pending = pending_credits_.find(identity); pending != pending_credits_.end()) {
        w.credit = pending->second.credit;
        w.batching = pending->second.batching;
        pending_credits_.erase(pending);
    }
    w.expiry = now + expiry_window_;
    w.last_sent = now;

    // "name@version" serves both "name@version" and "name".
    const auto parts = bus::split_service_name(name);
    const bool versioned = !parts.version.empty();
    service* named = service_named(name, now);
    service* base = versioned ? service_named(parts.name, now) : nullptr;
    if (named == nullptr || (versioned && base == nullptr)) {
        on_unknown_peer(identity);  // too many services: refuse the worker
        return;
    }
    w.entries[w.entry_count++] = ready_entry{&w, named, {}};
    if (base != nullptr) {
        w.entries[w.entry_count++] = ready_entry{&w, base, {}};
    }
    for (int i = 0; i < w.entry_count; ++i) {
        if (w.entries[i].svc->workers++ == 0) {
            services_changed_ = true;
        }
    }
    roll_.push_back(w);
    workers_.emplace(w.identity, std::move(peer));
    stats_.workers.set(workers_.size());
    log_->info("worker joined service={} credit={} workers={}", w.announced, w.credit,
               workers_.size());
    if (serve_queued(w, now)) {
        make_ready(w);
    }
}

void broker_core::on_reply(worker_peer& w, mdp::reply& reply, time_point now) {
    if (w.batching && reply.body.size() == 1 &&
        bus::view_of(*reply.address) == bus::batch::service) {
        on_reply_batch(w, reply.body[0], now);
        return;
    }
    const bool was_unready = !w.has_credit();  // full, or set aside while quiet
    heard(w, now);
    auto* slot = find_inflight(inflight_, bus::view_of(*reply.address));
    if (slot == nullptr || slot->worker != &w) {
        // Not a request this worker holds: forged, or answered after we gave
        // it up. Its client already has an outcome.
        malformed(w.identity,
                  {bus::errc::bad_request, "reply to a request the worker does not hold"}, now);
    } else {
        no_longer_held(w, *slot);
        send_reply(std::move(slot->terms.client), slot->requested->name, reply.body);
        inflight_.release(*slot);
    }
    back_in_service(w, was_unready, now);
}

// Before its reply is sent: a client that reads the broker's stats once
// answered must find the request no longer in flight.
void broker_core::no_longer_held(worker_peer& w, inflight_request& slot) {
    w.held.erase(slot);
    --w.holding;
    stats_.in_flight.set(inflight_.in_use() - 1);  // `slot` is released next
}

// Counted before it leaves, for the same reason; taken back if it could not.
void broker_core::send_reply(zmq::message_t&& client, std::string_view service,
                             std::span<zmq::message_t> body) {
    stats_.replies.add();
    if (!out_.reply(std::move(client), service, body)) {
        stats_.replies.set(stats_.replies.get() - 1);
    }
}

void broker_core::on_heartbeat(worker_peer& w, time_point now) {
    const bool was_unready = !w.has_credit();
    heard(w, now);
    back_in_service(w, was_unready, now);
}

void broker_core::heard(worker_peer& w, time_point now) {
    w.expiry = now + expiry_window_;
    if (w.quiet) {
        w.quiet = false;
        log_->info("worker heard again service={} holding={}", w.announced, w.holding);
    }
}

void broker_core::back_in_service(worker_peer& w, bool was_unready, time_point now) {
    // A failed send in serve_queued removes the worker: `w` is gone then.
    if (was_unready && w.has_credit() && serve_queued(w, now)) {
        make_ready(w);
    }
}

bool broker_core::gone_quiet(const worker_peer& w, time_point now) const noexcept {
    const auto last_heard = w.expiry - expiry_window_;
    // Not checked against caught_up_, unlike expiry: a worker set aside in
    // error is back in service as soon as its next message is read.
    return w.holding > 0 && now - last_heard > 2 * options_.heartbeat;
}

// Silence since `since` counts only if the broker read everything that
// arrived after it: a broker slowed down (a long burst, a busy machine) may
// hold a worker's heartbeats unread in its own socket; nor while the broker
// is excused after a stall of its own (on_tick). A silence twice as long
// counts anyway, so that a broker that never catches up still drops the
// dead.
bool broker_core::silent_for_sure(time_point since, time_point now) const noexcept {
    return (since <= caught_up_ && now >= excused_until_) || now - since >= expiry_window_;
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

void broker_core::protocol_error(worker_peer& w, std::string_view why, time_point now) {
    log_->warn("disconnecting worker service={} reason=\"{}\"", w.announced, why);
    out_.command(w.identity, mdp::command::disconnect);
    stats_.disconnects.add();
    remove_worker(w, now);
}

void broker_core::make_ready(worker_peer& w) {
    if (!w.has_credit()) {
        return;
    }
    for (int i = 0; i < w.entry_count; ++i) {
        auto& entry = w.entries[i];
        if (!ready_list::contains_any(entry)) {
            entry.svc->ready.push_back(entry);
        }
    }
}

void broker_core::make_unready(worker_peer& w) {
    for (int i = 0; i < w.entry_count; ++i) {
        auto& entry = w.entries[i];
        if (ready_list::contains_any(entry)) {
            entry.svc->ready.erase(entry);
        }
    }
}

void broker_core::remove_worker(worker_peer& w, time_point now) {
    make_unready(w);
    out_.discard_staged(w.requests);  // what it would have got is recovered below
    for (int i = 0; i < w.entry_count; ++i) {
        auto* svc = w.entries[i].svc;
        if (--svc->workers == 0) {
            svc->no_workers_since = now;
            services_changed_ = true;
        }
    }
    // Take the worker out of the table first: recovering its requests may
    // dispatch them, and must not find it.
    roll_.erase(w);
    auto owned = std::move(workers_.find(w.identity)->second);
    workers_.erase(w.identity);
    stats_.workers.set(workers_.size());
    while (auto* slot = owned->held.front()) {
        owned->held.erase(*slot);
        recover(*slot, now);
    }
}

// A request whose worker is gone (docs/design.md, the outcome contract): an
// idempotent one runs again elsewhere with its retry count raised; any other
// ends in WORKER_LOST, since it may have run.
void broker_core::recover(inflight_request& slot, time_point now) {
    materialize(slot);  // a batch record needs frames of its own from here
    auto* requested = slot.requested;
    auto terms = std::move(slot.terms);
    const bool again = terms.idempotent && now < terms.deadline && !slot.body.empty() && !draining_;
    if (again) {
        // The kept copies share bytes with the frames sent to the dead worker;
        // the header is rewritten, so it gets bytes of its own.
        auto& header = slot.body[0];
        zmq::message_t fresh(header.data(), header.size());
        bus::rpc::rewrite_retry(fresh, bus::rpc::peek_retry(header) + 1);
        header = std::move(fresh);
        stats_.redispatched.add();
        bus::frames body = std::move(slot.body);
        inflight_.release(slot);
        route(*requested, std::move(terms), body, now);
        return;
    }
    auto meta = slot.body.empty() ? std::nullopt : bus::rpc::peek_request(slot.body[0]);
    // An idempotent request that is not run again (its deadline passed, or we
    // are closing) may be retried elsewhere by its client: UNAVAILABLE.
    const auto code = terms.idempotent ? bus::errc::unavailable : bus::errc::worker_lost;
    answer_error(std::move(terms.client), requested->name, meta, code,
                 terms.idempotent ? "not run again: deadline passed or broker closing"
                                  : "the worker holding the request was lost");
    if (code == bus::errc::worker_lost) {
        stats_.worker_lost_replies.add();
    }
    inflight_.release(slot);
    stats_.in_flight.set(inflight_.in_use());
}

}  // namespace skynet::broker_detail
