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
    if (body.size() == 2 && (handlers_.has_methods() || handlers_.raw() == nullptr)) {
        bool ours = false;
        auto built = request_builder::envelope(body, now, ours);
        if (built) {
            auto* entry = handlers_.find(built->method());
            if (entry == nullptr) {
                std::string why = "no method '" + std::string(built->method()) + "'";
                reply_now(c, std::move(route), built->request_id(), bus::errc::unknown_method, why,
                          now);
                return;
            }
            dispatch(c, std::move(route), std::move(*built), entry, now);
            return;
        }
        if (ours || handlers_.raw() == nullptr) {
            auto meta = bus::rpc::peek_request(body[0]);
            reply_now(c, std::move(route), meta ? meta->request_id : std::string_view{},
                      bus::errc::bad_request, built.err().detail, now);
            return;
        }
    }
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
    out_.clear();
    mdp::put_reply_header(out_, std::move(route.address));
    bus::errc code = bus::errc::ok;
    execute(entry, req, code, out_);
    record_completion(*state_, req);
    if (state_->hooks.method_completed) {
        state_->hooks.method_completed(req, bus::clock::now() - req.received_at(), code);
    }
    send(c, now);
    sent_reply(code);
}

void io_loop::reply_now(connection& c, reply_route&& route, std::string_view request_id,
                        bus::errc code, std::string_view message, time_point now) {
    out_.clear();
    mdp::put_reply_header(out_, std::move(route.address));
    append_reply(out_, request_id, code, message, bus::rpc::empty_document_frame());
    send(c, now);
    sent_reply(code);
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
            out_.clear();
            mdp::put_reply_header(out_, std::move(done.route.address));
            for (auto& frame : done.body) {
                out_.push_back(std::move(frame));
            }
            send(c, now);
            worker_counters::add(state_->stats.replies);
        }
        state_->stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
    }
    completions_.clear();
}

}  // namespace skynet::worker_detail
