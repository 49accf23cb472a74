// Batch frames in the broker (docs/design.md): a client's mmi.batch request
// carries many requests in one frame, and a worker that agreed to batches
// gets them in one and answers in one. A record goes on as a record while it
// can (client batch -> batching worker -> client batch): copied into the
// next batch, never turned into frames of its own. It becomes frames only to
// wait in a queue, to go to a worker that takes no batches, or to be run
// again.

#include "broker_core.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;
namespace batch = bus::batch;

void broker_core::on_client_batch(zmq::message_t& client, mdp::client_message& request,
                                  time_point now) {
    if (!options_.batching) {
        out_.mmi_reply(client, request.service, {bus::mmi::code::not_implemented});
        return;
    }
    auto& frame = request.body[0];
    auto count = request.body.size() == 1 ? batch::check(bus::view_of(frame))
                                          : bus::result<std::size_t>(bus::error{
                                                bus::errc::bad_request, "batch is not one frame"});
    if (!count) {
        // No record can be trusted, so none can be answered: dropped whole.
        malformed(bus::view_of(client), count.err(), now);
        return;
    }
    if (bus::mmi::is_batch_probe(request.body)) {
        // The client's question: yes, and how large a batch may be.
        bus::frames body;
        bus::mmi::put_batch_grant(body, batch_limit_);
        out_.mmi_reply_frames(client, request.service, body);
        return;
    }
    stats_.batches_received.add();
    batch::reader reader(bus::view_of(frame));
    batch::record record;
    while (reader.next(record)) {
        stats_.requests.add();
        on_client_record(client, frame, record, now);
    }
}

void broker_core::on_client_record(const zmq::message_t& client, zmq::message_t& batch,
                                   const batch::record& record, time_point now) {
    std::size_t size = 0;
    for (auto f : record.body()) {
        size += f.size();
    }
    request_terms terms;
    auto* svc = admit_request(client, record.route, record.frames[0], size, terms, now);
    if (svc == nullptr) {
        return;
    }
    terms.client.rebuild(client.data(), client.size());  // a routing id: inline, no allocation
    route_record(*svc, std::move(terms), batch, record, now);
}

void broker_core::route_record(service& svc, request_terms&& terms, zmq::message_t& batch,
                               const batch::record& record, time_point now) {
    if (auto* w = next_ready(svc, now); w != nullptr && w->batching) {
        send_record_to(*w, svc, std::move(terms), batch, record, now);
        return;
    }
    unbatched_.clear();
    materialize(record, unbatched_);
    route(svc, std::move(terms), unbatched_, now);
    unbatched_.clear();
}

void broker_core::send_record_to(worker_peer& w, service& requested, request_terms&& terms,
                                 zmq::message_t& batch, const batch::record& record,
                                 time_point now) {
    auto& slot = inflight_.acquire();
    slot.worker = &w;
    slot.requested = &requested;
    const auto deadline = terms.deadline;
    slot.terms = std::move(terms);
    slot.batch.copy(batch);  // shares the bytes
    slot.record_offset =
        static_cast<std::uint32_t>(record.bytes.data() - static_cast<const char*>(batch.data()));
    slot.record_size = static_cast<std::uint32_t>(record.bytes.size());
    slot.client_batches = true;
    w.held.push_back(slot);
    ++w.holding;
    w.last_sent = now;
    stats_.in_flight.set(inflight_.in_use());

    char token[runtime::slot_token::byte_size];
    auto& out = out_.stage_requests(w.identity, w.requests);
    out.begin(slot.token().to_bytes(token), record.frame_count);
    auto header = out.frame(record.frames[0]);
    if (deadline != time_point::max()) {
        // docs/design.md: each hop subtracts what it spent, here the time queued.
        bus::rpc::rewrite_timeout(header, bus::millis_left(deadline, now));
    }
    for (std::size_t i = 1; i < record.frame_count; ++i) {
        out.frame(record.frames[i]);
    }
    out_.staged(w.requests);
    stats_.dispatched.add();
    dispatched_to(w, requested);
}

void broker_core::on_reply_batch(worker_peer& w, const zmq::message_t& frame, time_point now) {
    auto count = batch::check(bus::view_of(frame));
    if (!count) {
        malformed(w.identity, count.err(), now);
        protocol_error(w, "malformed batch", now);  // what it holds is recovered
        return;
    }
    const bool was_unready = !w.has_credit();
    heard(w, now);
    stats_.batches_received.add();
    batch::reader reader(bus::view_of(frame));
    batch::record record;
    while (reader.next(record)) {
        auto* slot = find_inflight(inflight_, record.route);
        if (slot == nullptr || slot->worker != &w) {
            malformed(w.identity,
                      {bus::errc::bad_request, "reply to a request the worker does not hold"}, now);
            continue;
        }
        no_longer_held(w, *slot);
        forward_reply_record(*slot, record);
        inflight_.release(*slot);
    }
    back_in_service(w, was_unready, now);
}

void broker_core::forward_reply_record(inflight_request& slot, const batch::record& record) {
    const auto& name = slot.requested->name;
    auto* client = slot.terms.ticket.owner();
    if (slot.client_batches && client != nullptr && name.size() <= batch::max_route) {
        auto& out = out_.stage_replies(bus::view_of(slot.terms.client), client->replies);
        out.add(name, record);
        stats_.replies.add();  // before staged(), which may send it
        out_.staged(client->replies);
        return;
    }
    unbatched_.clear();
    materialize(record, unbatched_);
    send_reply(std::move(slot.terms.client), name, unbatched_);
    unbatched_.clear();
}

void broker_core::materialize(const batch::record& record, bus::frames& out) {
    for (auto f : record.body()) {
        out.push_back(bus::frame_of(f));
    }
}

void broker_core::materialize(inflight_request& slot) {
    if (slot.record_size == 0) {
        return;
    }
    const auto bytes = bus::view_of(slot.batch).substr(slot.record_offset, slot.record_size);
    batch::reader reader(bytes);
    batch::record record;
    if (reader.next(record)) {  // checked when it came
        slot.body.clear();
        materialize(record, slot.body);
    }
    slot.batch.rebuild();
    slot.record_offset = slot.record_size = 0;
}

void broker_core::flush_batches(time_point now) {
    unreachable_.clear();
    out_.flush_staged(unreachable_);
    for (const auto& identity : unreachable_) {
        // It never got those requests, nor will it answer the others in time.
        if (auto* w = find_worker(identity)) {
            protocol_error(*w, "worker not reachable", now);
        }
    }
}

}  // namespace skynet::broker_detail
