#pragma once
// Requests on the worker's network thread, once each: checked, routed to
// their handler (run here, or on the pool), and answered through their
// connection's outbox, as are the replies that come back from elsewhere.
// It never learns how a request travelled: that is the message_view's and
// the outbox's business.

#include <spdlog/logger.h>

#include <memory>
#include <string_view>
#include <vector>

#include "connection_set.hpp"
#include "handler_pool.hpp"
#include "handler_table.hpp"
#include "shared_state.hpp"
#include "skynet/bus/message.hpp"

namespace skynet::worker_detail {

class request_dispatcher {
public:
    request_dispatcher(std::shared_ptr<shared_state> state, const handler_table& handlers,
                       handler_pool& pool);
    request_dispatcher(const request_dispatcher&) = delete;
    request_dispatcher& operator=(const request_dispatcher&) = delete;

    // One request, come on `c`, answered by `route`. Takes what it keeps
    // out of `m` (moved or shared, never copied for our envelope).
    void on_request(connection& c, bus::message_view& m, reply_route&& route, time_point now);
    // Sends the replies that handler threads and async responders made,
    // unless their connection has a new socket since (stale).
    void deliver_completions(connection_set& connections, time_point now);
    // An mmi.cancel notice from `c`'s broker: the request it sent under
    // `address` was given up (a no-op if it is answered already).
    void on_cancel(const connection& c, std::string_view address) noexcept;

private:
    bool takes_envelopes() const noexcept;
    void serve(connection& c, reply_route&& route, request&& req, time_point now);
    void dispatch(connection& c, reply_route&& route, request&& req, const handler_entry* entry,
                  time_point now);
    void run_inline(connection& c, reply_route&& route, const request& req,
                    const handler_entry& entry, time_point now);
    void reply_now(connection& c, reply_route&& route, std::string_view request_id, bus::errc code,
                   std::string_view message, time_point now);
    void sent_reply(bus::errc code);
    // Cancellation (docs/design.md): a request handed to a handler gets a
    // cancel slot, closed when its reply leaves.
    void watch_cancel(const connection& c, reply_route& route, request& req);
    void close_cancel(reply_route& route) noexcept;

    const std::shared_ptr<shared_state> state_;
    const handler_table& handlers_;
    handler_pool& pool_;
    std::shared_ptr<spdlog::logger> log_;
    bus::frames reply_body_;  // a reply's body, before the outbox takes it
    std::vector<completion> completions_;
};

}  // namespace skynet::worker_detail
