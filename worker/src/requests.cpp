// Requests on the worker's network thread: checked, routed to their handler,
// and answered; replies made elsewhere are sent from here too.
#include "io_loop.hpp"
#include "request_builder.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet::worker_detail {

namespace mdp = bus::mdp;

void io_loop::on_request(connection& c, mdp::request& r, time_point now) {
    worker_counters::add(state_->stats.requests);
    worker_counters::add(state_->stats.in_flight);
    reply_route route{c.index, c.epoch, std::move(*r.address)};
    auto body = r.body;
    if (body.size() == 2 && takes_envelopes()) {
        bool ours = false;
        auto built = request_builder::envelope(body, now, ours);
        if (serve_envelope(c, route, built, ours, bus::view_of(body[0]), now)) {
            return;
        }
    }
    serve_raw(c, std::move(route), body, now);
}

// docs/design.md: a batch frame of records, each a request under the
// broker's address for it. A batch that is not whole is dropped: no record
// of it can be trusted, and the broker answers its clients when it gives up
// on us.
void io_loop::on_request_batch(connection& c, zmq::message_t& frame, time_point now) {
    auto count = bus::batch::check(bus::view_of(frame));
    if (!count) {
        worker_counters::add(state_->stats.malformed);
        if (malformed_log_.allow(now)) {
            log_->warn("dropped malformed batch broker={} reason=\"{}\"", c.endpoint,
                       count.err().detail);
        }
        return;
    }
    bus::batch::reader reader(bus::view_of(frame));
    bus::batch::record record;
    while (reader.next(record) && c.open()) {
        on_record(c, frame, record, now);
    }
}

void io_loop::on_record(connection& c, zmq::message_t& batch, const bus::batch::record& record,
                        time_point now) {
    worker_counters::add(state_->stats.requests);
    worker_counters::add(state_->stats.in_flight);
    reply_route route{c.index, c.epoch, bus::frame_of(record.route), true};
    if (record.frame_count == 2 && takes_envelopes()) {
        bool ours = false;
        auto built =
            request_builder::envelope(batch, record.frames[0], record.frames[1], now, ours);
        if (serve_envelope(c, route, built, ours, record.frames[0], now)) {
            return;
        }
    }
    unbatched_.clear();
    for (auto f : record.body()) {
        unbatched_.push_back(bus::frame_of(f));
    }
    serve_raw(c, std::move(route), unbatched_, now);
}

bool io_loop::takes_envelopes() const noexcept {
    return handlers_.has_methods() || handlers_.raw() == nullptr;
}

bool io_loop::serve_envelope(connection& c, reply_route& route, bus::result<request>& built,
                             bool ours, std::string_view header, time_point now) {
    if (built) {
        auto* entry = handlers_.find(built->method());
        if (entry == nullptr) {
            std::string why = "no method '" + std::string(built->method()) + "'";
            reply_now(c, std::move(route), built->request_id(), bus::errc::unknown_method, why,
                      now);
            return true;
        }
        dispatch(c, std::move(route), std::move(*built), entry, now);
        return true;
    }
    if (ours || handlers_.raw() == nullptr) {
        auto meta = bus::rpc::peek_request(header);
        reply_now(c, std::move(route), meta ? meta->request_id : std::string_view{},
                  bus::errc::bad_request, built.err().detail, now);
        return true;
    }
    return false;  // a plain body that only looks like ours: for the raw handler
}

void io_loop::serve_raw(connection& c, reply_route&& route, std::span<zmq::message_t> body,
                        time_point now) {
    if (const auto* raw = handlers_.raw()) {
        dispatch(c, std::move(route), request_builder::raw(body, now), raw, now);
        return;
    }
    reply_now(c, std::move(route), {}, bus::errc::bad_request,
              "not a Skynet request, and this service takes no raw requests", now);
}

void io_loop::dispatch(connection& c, reply_route&& route, request&& req,
                       const handler_entry* entry, time_point now) {
    if (req.deadline() <= now) {
        // Its caller has given up; running it would be wasted, or worse.
        worker_counters::add(state_->stats.expired);
        reply_now(c, std::move(route), req.request_id(), bus::errc::timeout,
                  "deadline passed before the request reached the worker", now);
        return;
    }
    switch (entry->type) {
        case handler_entry::kind::async:
            if (state_->hooks.method_called) {
                state_->hooks.method_called(req);
            }
            try {
                entry->async(responder(state_, std::move(route), std::move(req)));
            } catch (const std::exception& e) {
                // The responder died with the handler's frame and has answered.
                log_->error("async handler threw error=\"{}\"", e.what());
            }
            return;
        case handler_entry::kind::sync:
        case handler_entry::kind::raw:
            if (entry->where == run_on::io_thread) {
                run_inline(c, std::move(route), req, *entry, now);
            } else {
                pool_.submit(job{std::move(route), std::move(req), entry});
            }
            return;
    }
}

void io_loop::run_inline(connection& c, reply_route&& route, const request& req,
                         const handler_entry& entry, time_point now) {
    if (state_->hooks.method_called) {
        state_->hooks.method_called(req);
    }
    reply_body_.clear();
    bus::errc code = bus::errc::ok;
    execute(entry, req, code, reply_body_);
    record_completion(*state_, req);
    if (state_->hooks.method_completed) {
        state_->hooks.method_completed(req, bus::clock::now() - req.received_at(), code);
    }
    send_reply(c, std::move(route), reply_body_, now);
    sent_reply(code);
}

void io_loop::reply_now(connection& c, reply_route&& route, std::string_view request_id,
                        bus::errc code, std::string_view message, time_point now) {
    reply_body_.clear();
    append_reply(reply_body_, request_id, code, message, bus::rpc::empty_document_frame());
    send_reply(c, std::move(route), reply_body_, now);
    sent_reply(code);
}

void io_loop::send_reply(connection& c, reply_route&& route, bus::frames& body, time_point now) {
    // Batched only once the broker's answer told us how large a batch it
    // reads; before, one REPLY each, which any broker reads.
    if (route.batched && c.batching && fits_batch(c, body)) {
        c.replies.add(bus::view_of(route.address), body);
        if (c.replies.size() >= c.batch_limit) {
            flush_replies(c, now);
        }
        return;
    }
    out_.clear();
    mdp::put_reply_header(out_, std::move(route.address));
    for (auto& frame : body) {
        out_.push_back(std::move(frame));
    }
    send(c, now);
}

bool io_loop::fits_batch(const connection& c, std::span<const zmq::message_t> body) noexcept {
    return !body.empty() && body.size() <= bus::batch::max_record_frames &&
           bus::total_size(body) < std::min(bus::batch::record_limit, c.batch_limit);
}

void io_loop::flush_replies(connection& c, time_point now) {
    if (c.replies.empty() || !c.open()) {
        c.replies.clear();
        return;
    }
    out_.clear();
    mdp::put_reply_header(out_, bus::frame_of(bus::batch::service));
    out_.push_back(c.replies.take());
    send(c, now);
}

void io_loop::sent_reply(bus::errc code) {
    worker_counters::add(state_->stats.replies);
    if (code != bus::errc::ok) {
        worker_counters::add(state_->stats.errors);
    }
    state_->stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
}

void io_loop::deliver_completions(time_point now) {
    state_->completions.take_all(completions_);
    for (auto& done : completions_) {
        auto& c = *connections_[done.route.connection];
        // A reply for an earlier socket is stale: that broker has already
        // answered its client (WORKER_LOST, or a re-dispatch).
        if (c.open() && c.epoch == done.route.epoch) {
            send_reply(c, std::move(done.route), done.body, now);
            worker_counters::add(state_->stats.replies);
        }
        state_->stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
    }
    completions_.clear();
}

}  // namespace skynet::worker_detail
