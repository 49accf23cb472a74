// One path for every request: a message_view, whether it came alone or as
// a record of a batch frame, and its reply goes through its connection's
// outbox, which alone knows which way it leaves (request_dispatcher.hpp).
#include "request_dispatcher.hpp"

#include "request_builder.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::worker_detail {

request_dispatcher::request_dispatcher(std::shared_ptr<shared_state> state,
                                       const handler_table& handlers, handler_pool& pool)
    : state_(std::move(state)),
      handlers_(handlers),
      pool_(pool),
      log_(runtime::logger_for("worker")) {}

void request_dispatcher::on_request(connection& c, bus::message_view& m, reply_route&& route,
                                    time_point now) {
    worker_counters::add(state_->stats.requests);
    worker_counters::add(state_->stats.in_flight);
    if (m.size() == 2 && takes_envelopes()) {
        bool ours = false;
        auto built = request_builder::envelope(m, now, ours);
        if (built) {
            request_builder::attach(*built, state_.get());
            serve(c, std::move(route), std::move(*built), now);
            return;
        }
        if (ours || handlers_.raw() == nullptr) {
            auto meta = bus::rpc::peek_request(m[0]);
            state_->log.finished({}, meta ? meta->request_id : std::string_view{},
                                 bus::errc::bad_request, {});
            state_->methods.refused(method_metrics::unknown, false, bus::errc::bad_request);
            reply_now(c, std::move(route), meta ? meta->request_id : std::string_view{},
                      bus::errc::bad_request, built.err().detail, now);
            return;
        }
        // A plain body that only looks like ours: for the raw handler.
    }
    if (const auto* raw = handlers_.raw()) {
        dispatch(c, std::move(route), request_builder::raw(m, now), raw, now);
        return;
    }
    reply_now(c, std::move(route), {}, bus::errc::bad_request,
              "not a Skynet request, and this service takes no raw requests", now);
}

bool request_dispatcher::takes_envelopes() const noexcept {
    return handlers_.has_methods() || handlers_.raw() == nullptr;
}

void request_dispatcher::serve(connection& c, reply_route&& route, request&& req, time_point now) {
    auto* entry = handlers_.find(req.method());
    if (entry == nullptr) {
        state_->log.unknown_method(req.method());
        state_->log.finished(req.method(), req.request_id(), bus::errc::unknown_method, {});
        std::string why = "no method '" + std::string(req.method()) + "'";
        state_->methods.refused(req.method(), false, bus::errc::unknown_method);
        state_->methods.failed(bus::errc::unknown_method, why);
        reply_now(c, std::move(route), req.request_id(), bus::errc::unknown_method, why, now);
        return;
    }
    dispatch(c, std::move(route), std::move(req), entry, now);
}

void request_dispatcher::dispatch(connection& c, reply_route&& route, request&& req,
                                  const handler_entry* entry, time_point now) {
    if (req.deadline() <= now) {
        // Its caller has given up; running it would be wasted, or worse.
        worker_counters::add(state_->stats.expired);
        state_->methods.refused(req.method(), req.is_raw(), bus::errc::timeout);
        state_->log.finished(req.method(), req.request_id(), bus::errc::timeout, {});
        reply_now(c, std::move(route), req.request_id(), bus::errc::timeout,
                  "deadline passed before the request reached the worker", now);
        return;
    }
    if (!req.is_raw()) {
        watch_cancel(c, route, req);
    }
    if (entry->where == run_on::pool) {
        pool_.submit(job{std::move(route), std::move(req), entry});
    } else if (entry->type == handler_entry::kind::async) {
        start_async(state_, *entry, std::move(route), std::move(req));
    } else {
        run_inline(c, std::move(route), req, *entry, now);
    }
}

void request_dispatcher::run_inline(connection& c, reply_route&& route, const request& req,
                                    const handler_entry& entry, time_point now) {
    run_hook(state_->hooks.method_called, "method_called", req);
    reply_body_.clear();
    bus::errc code = bus::errc::ok;
    execute(*state_, entry, req, code, reply_body_);
    close_cancel(route);
    record_completion(*state_, req, code, code != bus::errc::ok ? reply_error(reply_body_) : "");
    c.outbox.put(std::move(route), reply_body_, now);
    sent_reply(code);
}

void request_dispatcher::watch_cancel(const connection& c, reply_route& route, request& req) {
    const auto key = cancel_table::key_of(bus::view_of(route.address));
    route.cancel_index = state_->cancels.open(c.index, c.epoch, key);
    request_builder::watch_cancel(req, state_->cancels.at(route.cancel_index));
}

void request_dispatcher::close_cancel(reply_route& route) noexcept {
    if (route.cancel_index != cancel_table::none) {
        state_->cancels.close(route.cancel_index);
        route.cancel_index = cancel_table::none;
    }
}

void request_dispatcher::on_cancel(const connection& c, std::string_view address) noexcept {
    (void)state_->cancels.cancel(c.index, c.epoch, cancel_table::key_of(address));
}

void request_dispatcher::reply_now(connection& c, reply_route&& route, std::string_view request_id,
                                   bus::errc code, std::string_view message, time_point now) {
    reply_body_.clear();
    append_reply(reply_body_, request_id, code, message, bus::rpc::empty_document_frame());
    c.outbox.put(std::move(route), reply_body_, now);
    sent_reply(code);
}

void request_dispatcher::sent_reply(bus::errc code) {
    worker_counters::add(state_->stats.replies);
    if (code != bus::errc::ok) {
        worker_counters::add(state_->stats.errors);
    }
    state_->stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
}

void request_dispatcher::deliver_completions(connection_set& connections, time_point now) {
    state_->completions.take_all(completions_);
    for (auto& done : completions_) {
        close_cancel(done.route);
        auto& c = connections.at(done.route.connection);
        // A reply for an earlier socket is stale: that broker has already
        // answered its client (WORKER_LOST, or a re-dispatch).
        if (c.open() && c.epoch == done.route.epoch) {
            c.outbox.put(std::move(done.route), done.body, now);
            worker_counters::add(state_->stats.replies);
        }
        state_->stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
    }
    completions_.clear();
}

}  // namespace skynet::worker_detail
