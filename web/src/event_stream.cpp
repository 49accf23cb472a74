// GET /api/events: a snapshot, then the model's deltas as they happen, each
// with its id; a browser that comes back with Last-Event-ID gets the deltas
// it missed when the hub still has them, else a new snapshot.
#include <charconv>

#include "server_context.hpp"

namespace skynet::web {

namespace {

// The header's id, when it is a plain decimal number.
std::optional<std::uint64_t> last_event_id(const httplib::Request& req) {
    if (!req.has_header("Last-Event-ID")) {
        return std::nullopt;
    }
    const auto text = req.get_header_value("Last-Event-ID");
    std::uint64_t id = 0;
    const auto* end = text.data() + text.size();
    auto [at, problem] = std::from_chars(text.data(), end, id);
    if (problem != std::errc{} || at != end) {
        return std::nullopt;
    }
    return id;
}

}  // namespace

void add_event_stream(httplib::Server& server, server_context& context) {
    server.Get("/api/events", [&context](const httplib::Request& req, httplib::Response& res) {
        std::shared_ptr<stream_slot> slot = context.hub.open();
        if (!slot) {
            send_error(res, 503, "too many streams");
            return;
        }
        context.model.attach(*slot, last_event_id(req));
        stream_events(res, std::move(slot), context.options.ping_interval,
                      context.options.ping_interval);
    });
}

}  // namespace skynet::web
