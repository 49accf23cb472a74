// The client half of 7/MDP in the broker: requests meet ready workers, least
// recently used first, or wait in their service's queue.
#include "broker_core.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

void broker_core::on_client_request(zmq::message_t& client, mdp::client_message& request,
                                    time_point now) {
    if (request.service == bus::batch::service) {
        on_client_batch(client, request, now);  // counts its records as requests
        return;
    }
    stats_.requests.add();
    if (bus::mmi::is_internal(request.service)) {
        on_mmi(client, request, now);
        return;
    }
    request_terms terms;
    auto* svc = admit_request(client, request.service, bus::view_of(request.body[0]),
                              bus::total_size(request.body), terms, now);
    if (svc == nullptr) {
        return;
    }
    terms.client = std::move(client);
    route(*svc, std::move(terms), request.body, now);
}

service* broker_core::admit_request(const zmq::message_t& client, std::string_view service_name,
                                    std::string_view header, std::size_t size, request_terms& terms,
                                    time_point now) {
    // Our envelope's header, read in place; a plain MDP body is opaque and
    // gets no deadline and no idempotency.
    auto meta = bus::rpc::peek_request(header);
    auto refuse = [&](bus::errc code, std::string_view why) {
        answer_error(zmq::message_t(client.data(), client.size()), service_name, meta, code, why);
        return nullptr;
    };
    if (bus::mmi::is_internal(service_name)) {
        return refuse(bus::errc::bad_request, "mmi.* requests do not travel in batches");
    }
    if (draining_) {
        return refuse(bus::errc::unavailable, "broker is shutting down");
    }
    if (size > options_.max_message_size) {
        stats_.too_large.add();
        return refuse(bus::errc::bad_request, "request exceeds the broker's maximum message size");
    }
    if (meta && meta->timeout_ms) {
        if (*meta->timeout_ms <= 0) {
            stats_.expired.add();  // its caller has its TIMEOUT already
            return nullptr;
        }
        terms.deadline = bus::deadline_after(*meta->timeout_ms, now);
    }
    terms.idempotent = meta && meta->idempotent;
    if (auto refused = admit(bus::view_of(client), terms.ticket); !refused.empty()) {
        return refuse(bus::errc::overloaded, refused);
    }
    auto* svc = service_named(service_name, now);
    if (svc == nullptr) {
        stats_.overloaded.add();
        return refuse(bus::errc::overloaded, "broker knows too many services");
    }
    return svc;
}

std::string_view broker_core::admit(std::string_view client, request_ticket& ticket) {
    switch (clients_.admit(client, ticket)) {
        case client_table::admission::admitted:
            return {};
        case client_table::admission::too_many_clients:
            stats_.clients_refused.add();
            stats_.overloaded.add();
            return "broker has too many clients";
        case client_table::admission::too_many_requests:
            stats_.client_requests_refused.add();
            stats_.overloaded.add();
            return "client has too many requests in the broker";
    }
    return {};
}

worker_peer* broker_core::next_ready(service& svc, time_point now) {
    while (auto* entry = svc.ready.front()) {
        auto& w = *entry->worker;
        if (!gone_quiet(w, now)) {
            return &w;
        }
        // One comparison per dispatch spares the requests a frozen or
        // cut-off worker would take, up to its credit, until it expires.
        w.quiet = true;
        make_unready(w);
        stats_.quiet_workers.add();
        log_->warn("worker silent while holding requests, set aside service={} holding={}",
                   w.announced, w.holding);
    }
    return nullptr;
}

void broker_core::route(service& svc, request_terms&& terms, std::span<zmq::message_t> body,
                        time_point now) {
    if (auto* w = next_ready(svc, now)) {
        send_to(*w, svc, std::move(terms), body, now);
        return;
    }
    if (svc.queue.size() >= options_.max_queue) {
        stats_.overloaded.add();
        answer_error(std::move(terms.client), svc.name, bus::rpc::peek_request(body[0]),
                     bus::errc::overloaded, "service queue is full");
        return;
    }
    auto& slot = svc.queue.push_back();
    svc.earliest_deadline = std::min(svc.earliest_deadline, terms.deadline);
    slot.terms = std::move(terms);
    for (auto& frame : body) {
        slot.body.push_back(std::move(frame));
    }
    slot.enqueued_at = now;
    slot.sequence = next_sequence_++;
    stats_.queued.set(++queued_total_);
    if (!svc.waiting) {
        svc.waiting = true;
        waiting_services_.push_back(&svc);
    }
}

void broker_core::answer_error(zmq::message_t&& client, std::string_view service,
                               const std::optional<bus::rpc::request_meta>& meta, bus::errc code,
                               std::string_view why) {
    if (!meta) {
        stats_.plain_refused.add();
        return;
    }
    out_.error(std::move(client), service, meta->request_id, code, why);
}

bool broker_core::send_to(worker_peer& w, service& requested, request_terms&& terms,
                          std::span<zmq::message_t> body, time_point now) {
    if (terms.deadline != time_point::max()) {
        // docs/design.md: each hop subtracts what it spent, here the time queued.
        bus::rpc::rewrite_timeout(body[0], bus::millis_left(terms.deadline, now));
    }
    auto& slot = inflight_.acquire();
    slot.worker = &w;
    slot.requested = &requested;
    slot.terms = std::move(terms);
    for (auto& frame : body) {
        slot.body.emplace_back().copy(frame);  // shares the bytes: no copy of the payload
    }
    w.held.push_back(slot);
    ++w.holding;
    w.last_sent = now;
    stats_.in_flight.set(inflight_.in_use());
    if (!out_.request(w.identity, token_frame(slot), body)) {
        // The worker is gone or not reading: it never got this request, nor
        // will it answer the others in time. Drop it and recover them all.
        protocol_error(w, "worker not reachable", now);
        return false;
    }
    stats_.dispatched.add();
    dispatched_to(w, requested);
    return true;
}

void broker_core::dispatched_to(worker_peer& w, service& requested) {
    if (!w.has_credit()) {
        make_unready(w);
        return;
    }
    for (int i = 0; i < w.entry_count; ++i) {
        auto& entry = w.entries[i];
        if (entry.svc == &requested && ready_list::contains_any(entry)) {
            requested.ready.move_to_back(entry);  // least recently used goes first
        }
    }
}

bool broker_core::serve_queued(worker_peer& w, time_point now) {
    while (w.has_credit()) {
        // The oldest request among the queues this worker serves.
        service* oldest = nullptr;
        for (int i = 0; i < w.entry_count; ++i) {
            auto* svc = w.entries[i].svc;
            if (!svc->queue.empty() && (oldest == nullptr || svc->queue.front().sequence <
                                                                 oldest->queue.front().sequence)) {
                oldest = svc;
            }
        }
        if (oldest == nullptr) {
            return true;
        }
        // Out of the queue before sending: a failed send recovers requests,
        // which may queue them again, here.
        auto& next = oldest->queue.front();
        auto terms = std::move(next.terms);
        std::swap(next.body, sending_);  // both keep their capacity
        oldest->queue.pop_front();
        stats_.queued.set(--queued_total_);
        if (terms.deadline <= now) {
            stats_.expired.add();  // its caller has its TIMEOUT already
            sending_.clear();
            continue;
        }
        const bool still_there = send_to(w, *oldest, std::move(terms), sending_, now);
        sending_.clear();
        if (!still_there) {
            return false;
        }
    }
    return true;
}

}  // namespace skynet::broker_detail
