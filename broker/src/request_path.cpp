// One request's path through the broker, whether it came alone or as a
// record of a batch frame: admission, routing to a ready worker or a queue,
// dispatch, the worker's reply back to its client, and what happens to it
// when its worker dies, or its caller gives it up (mmi.cancel). Batching is
// seen only at the edges: the inbound splitter (bus::for_each_message) and
// the outbox.
#include <cstring>

#include "broker_core.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

namespace {
// The outcome a worker's reply carries, read in place: its header's code.
// A plain 7/MDP reply (no header of ours) counts as OK. The length prefix is
// checked first, so that a plain body costs no error object.
bus::errc reply_code(const bus::message_view& reply) noexcept {
    if (reply.size() == 0) {
        return bus::errc::ok;
    }
    const auto header = reply[0];
    std::uint32_t length = 0;
    if (header.size() < 5 || (std::memcpy(&length, header.data(), 4), length != header.size())) {
        return bus::errc::ok;
    }
    auto doc = bus::bson_view::from_bytes(header.data(), header.size());
    const auto code = doc ? doc->get_int32(bus::rpc::field::code) : std::nullopt;
    const auto known = code ? bus::errc_from_int(*code) : std::nullopt;
    return known.value_or(bus::errc::ok);
}
}  // namespace

// The client's message, plain or a batch frame of requests (mmi.batch):
// each request it holds goes the one way, on_client_request.
void broker_core::on_client_message(zmq::message_t& client, mdp::client_message& message,
                                    time_point now) {
    const bool batch = message.service == bus::batch::service;
    if (batch && (!options_.batching || bus::mmi::is_batch_probe(message.body))) {
        mmi_.answer_batch_question(client, message.service);
        return;
    }
    if (batch) {
        stats_.batches_received.add();  // taken back if the batch is refused
    }
    auto handed = bus::for_each_message(message.service, message.body, batch,
                                        [&](bus::message_view& request) {
                                            stats_.batch_records_received.add(batch ? 1 : 0);
                                            on_client_request(client, request, now);
                                            return true;
                                        });
    if (!handed) {
        // No record can be trusted, so none can be answered: dropped whole.
        stats_.batches_received.set(stats_.batches_received.get() - 1);
        malformed(bus::view_of(client), handed.err(), now);
    }
}

void broker_core::on_client_request(zmq::message_t& client, bus::message_view& request,
                                    time_point now) {
    stats_.requests.add();
    if (!access_.may_call(peer_key_, request.route())) {
        refuse_unauthorized(client, request, now);
        return;
    }
    if (!request.batched() && bus::mmi::is_internal(request.route())) {
        mdp::client_message internal{request.route(), request.plain_frames()};
        on_mmi(client, internal, now);
        return;
    }
    request_terms terms;
    auto* svc = admit(client, request, terms, now);
    if (svc == nullptr) {
        return;
    }
    terms.client.copy(client);  // a routing id: shared or inline, no allocation
    route(*svc, std::move(terms), request, now);
}

// UNAUTHORIZED, naming the service; never retried (bus/errc.hpp). Refusals
// are rare and may allocate.
void broker_core::refuse_unauthorized(const zmq::message_t& client,
                                      const bus::message_view& request, time_point now) {
    const auto service_name = request.route();
    access_.refused_call(peer_key_, service_name, now);
    const auto meta = request.size() > 0 ? bus::rpc::peek_request(request[0]) : std::nullopt;
    out_.refuse(zmq::message_t(client.data(), client.size()), service_name, meta,
                bus::errc::unauthorized,
                "not allowed to call '" + std::string(service_name) + "' (access rules)");
}

service* broker_core::admit(const zmq::message_t& client, const bus::message_view& request,
                            request_terms& terms, time_point now) {
    const auto service_name = request.route();
    // Our envelope's header, read in place; a plain MDP body is opaque and
    // gets no deadline and no idempotency.
    auto meta = bus::rpc::peek_request(request[0]);
    auto refuse = [&](bus::errc code, std::string_view why) {
        // Counted under its service if the broker knows it already; a name it
        // does not know gets no series (a client cannot grow the label set).
        if (auto* known = services_.find(service_name)) {
            known->cells.count(code);
        }
        out_.refuse(zmq::message_t(client.data(), client.size()), service_name, meta, code, why);
        return nullptr;
    };
    if (bus::mmi::is_internal(service_name)) {
        return refuse(bus::errc::bad_request, "mmi.* requests do not travel in batches");
    }
    if (draining_) {
        return refuse(bus::errc::unavailable, "broker is shutting down");
    }
    if (request.bytes() > options_.max_message_size) {
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
    terms.client_batches = request.batched();
    if (auto refused = admit_client(bus::view_of(client), terms.ticket); !refused.empty()) {
        return refuse(bus::errc::overloaded, refused);
    }
    auto* svc = services_.named(service_name, now);
    if (svc == nullptr) {
        stats_.overloaded.add();
        return refuse(bus::errc::overloaded, "broker knows too many services");
    }
    return svc;
}

std::string_view broker_core::admit_client(std::string_view client, request_ticket& ticket) {
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

void broker_core::route(service& svc, request_terms&& terms, bus::message_view& request,
                        time_point now) {
    if (auto* w = workers_.next_ready(svc, now)) {
        dispatch(*w, svc, std::move(terms), request, now);
        return;
    }
    if (services_.enqueue(svc, std::move(terms), request, now)) {
        return;
    }
    stats_.overloaded.add();  // the queue is full; `terms` and `request` are untouched
    svc.cells.count(bus::errc::overloaded);
    out_.refuse(std::move(terms.client), svc.name, bus::rpc::peek_request(request[0]),
                bus::errc::overloaded, "service queue is full");
}

bool broker_core::dispatch(worker_peer& w, service& requested, request_terms&& terms,
                           bus::message_view& request, time_point now) {
    auto& slot = inflight_.acquire();
    slot.worker = &w;
    slot.requested = &requested;
    slot.dispatched_at = now;
    slot.terms = std::move(terms);
    slot.message.keep(request);  // moves plain frames, shares a record's batch frame
    workers_.hold(w, requested, slot, now);
    stats_.in_flight.set(inflight_.in_use());

    char bytes[runtime::slot_token::byte_size];
    const auto token = slot.token().to_bytes(bytes);
    auto kept = slot.message.view(token);
    const header_edit edit{slot.terms.deadline, now, slot.terms.retry};
    if (!out_.request(w.identity, {w.batching, &w.requests}, token, kept, edit)) {
        // The worker is gone or not reading: it never got this request, nor
        // will it answer the others in time. Drop it and recover them all.
        protocol_error(w, "worker not reachable", now);
        return false;
    }
    stats_.dispatched.add();
    return true;
}

bool broker_core::serve_queued(worker_peer& w, time_point now) {
    while (w.has_credit()) {
        // The oldest request among the queues this worker serves.
        auto* oldest = services_.oldest_for(w);
        if (oldest == nullptr) {
            return true;
        }
        // Out of the queue before sending: a failed send recovers requests,
        // which may queue them again, here.
        request_terms terms;
        services_.dequeue(*oldest, terms, sending_);
        if (terms.deadline <= now) {
            stats_.expired.add();  // its caller has its TIMEOUT already
            oldest->cells.count(bus::errc::timeout);
            sending_.clear();
            continue;
        }
        bus::message_view request(oldest->name, sending_);
        const bool still_there = dispatch(w, *oldest, std::move(terms), request, now);
        sending_.clear();
        if (!still_there) {
            return false;
        }
    }
    return true;
}

// A worker's REPLY, plain or a batch frame of replies (client address
// mmi.batch, from a worker that agreed to batches): each reply it holds
// goes the one way, on_reply.
void broker_core::on_worker_reply(worker_peer& w, mdp::reply& message, time_point now) {
    const auto address = bus::view_of(*message.address);
    const bool batch = w.batching && message.body.size() == 1 && address == bus::batch::service;
    const bool was_unready = !w.has_credit();  // full, or set aside while quiet
    if (batch) {
        stats_.batches_received.add();  // taken back if the batch is refused
    }
    auto handed = bus::for_each_message(address, message.body, batch, [&](bus::message_view& r) {
        stats_.batch_records_received.add(batch ? 1 : 0);
        on_reply(w, r, now);
        return true;
    });
    if (!handed) {
        stats_.batches_received.set(stats_.batches_received.get() - 1);
        malformed(w.identity, handed.err(), now);
        protocol_error(w, "malformed batch", now);  // what it holds is recovered
        return;
    }
    workers_.heard(w, now);
    back_in_service(w, was_unready, now);
}

void broker_core::on_reply(worker_peer& w, bus::message_view& reply, time_point now) {
    auto* slot = find_inflight(inflight_, reply.route());
    if (slot == nullptr || slot->worker != &w) {
        // Not a request this worker holds: forged, or answered after we gave
        // it up. Its client already has an outcome.
        malformed(w.identity,
                  {bus::errc::bad_request, "reply to a request the worker does not hold"}, now);
        return;
    }
    // Before its reply is sent: a client that reads the broker's stats once
    // answered must find the request no longer in flight.
    workers_.release(w, *slot);
    stats_.in_flight.set(inflight_.in_use() - 1);  // `slot` is released next
    if (slot->cancelled) {
        stats_.cancelled_replies.add();  // its caller has its CANCELLED already
        inflight_.release(*slot);
        return;
    }
    auto& cells = slot->requested->cells;
    cells.count(reply_code(reply));
    cells.duration.record(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now - slot->dispatched_at).count()));
    send_reply(*slot, reply);
    inflight_.release(*slot);
}

// Counted before it leaves, for the same reason; taken back if it could not.
void broker_core::send_reply(inflight_request& slot, bus::message_view& reply) {
    auto* client = slot.terms.ticket.owner();
    const peer_batches batches{slot.terms.client_batches && client != nullptr,
                               client != nullptr ? &client->replies : nullptr};
    stats_.replies.add();
    if (!out_.reply(std::move(slot.terms.client), batches, slot.requested->name, reply)) {
        stats_.replies.set(stats_.replies.get() - 1);
    }
}

// A request whose worker is gone (docs/design.md, the outcome contract): an
// idempotent one runs again elsewhere with its retry count raised; any other
// ends in WORKER_LOST, since it may have run.
void broker_core::recover(inflight_request& slot, time_point now) {
    if (slot.cancelled) {
        inflight_.release(slot);  // given up: neither run again nor answered
        stats_.in_flight.set(inflight_.in_use());
        return;
    }
    auto* requested = slot.requested;
    auto terms = std::move(slot.terms);
    bus::kept_message kept;
    std::swap(kept, slot.message);  // out of the slot, which is released first
    inflight_.release(slot);
    stats_.in_flight.set(inflight_.in_use());
    auto request = kept.view(requested->name);
    if (terms.idempotent && now < terms.deadline && !draining_) {
        // The outbox writes the raised count into what it sends: the kept
        // bytes may be shared with the send to the dead worker.
        terms.retry = (terms.retry >= 0 ? terms.retry : bus::rpc::peek_retry(request[0])) + 1;
        stats_.redispatched.add();
        route(*requested, std::move(terms), request, now);
        return;
    }
    // An idempotent request that is not run again (its deadline passed, or we
    // are closing) may be retried elsewhere by its client: UNAVAILABLE.
    const auto code = terms.idempotent ? bus::errc::unavailable : bus::errc::worker_lost;
    requested->cells.count(code);
    out_.refuse(std::move(terms.client), requested->name, bus::rpc::peek_request(request[0]), code,
                terms.idempotent ? "not run again: deadline passed or broker closing"
                                 : "the worker holding the request was lost");
    if (code == bus::errc::worker_lost) {
        stats_.worker_lost_replies.add();
    }
}

// mmi.cancel (docs/design.md, "Cancellation"): a client gave up calls it
// made through this broker. Each one named is dropped from its queue if it
// waits there; if a worker holds it, it is marked, the worker is told when
// it is one of ours, and its reply, which still comes (and still gives the
// worker its credit back), is dropped. An id the broker does not hold (never
// seen, answered already) changes nothing. Cancelling is rare: the request
// is found by scanning, and nothing is added to the request's own path.
void broker_core::on_mmi_cancel(zmq::message_t& client, bus::mdp::client_message& request,
                                time_point now) {
    auto ids = bus::mmi::decode_cancel_request(request.body);
    if (!ids) {
        out_.mmi_reply(client, request.service, {bus::mmi::code::bad_request});
        return;
    }
    // What this burst staged leaves first, so that a notice never overtakes
    // the request it names on its way to the worker.
    flush(now);
    const auto who = bus::view_of(client);
    bool any = false;
    for (const auto& id : *ids) {
        const auto request_id = bus::view_of(id);
        if (request_id.empty()) {
            continue;
        }
        if (services_.cancel_queued(who, request_id) || cancel_held(who, request_id)) {
            stats_.cancelled.add();
            any = true;
        }
    }
    out_.mmi_reply(client, request.service, {any ? bus::mmi::code::ok : bus::mmi::code::not_found});
}

bool broker_core::cancel_held(std::string_view client, std::string_view request_id) {
    inflight_request* found = nullptr;
    inflight_.for_each([&](inflight_request& slot) {
        if (found != nullptr || slot.cancelled || bus::view_of(slot.terms.client) != client) {
            return;
        }
        auto kept = slot.message.view({});
        auto meta = kept.size() > 0 ? bus::rpc::peek_request(kept[0]) : std::nullopt;
        if (meta && meta->request_id == request_id) {
            found = &slot;
        }
    });
    if (found == nullptr) {
        return false;
    }
    found->cancelled = true;
    if (found->worker != nullptr && found->worker->ours) {
        char bytes[runtime::slot_token::byte_size];
        // A lost notice costs only the handler's chance to stop early.
        (void)out_.cancel_notice(found->worker->identity, found->token().to_bytes(bytes));
    }
    return true;
}

}  // namespace skynet::broker_detail
