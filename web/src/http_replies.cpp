#include "json_text.hpp"
#include "server_context.hpp"

namespace skynet::web {

void send_error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(json_text(nlohmann::json{{"error", message}}), "application/json");
}

void send_json(httplib::Response& res, const nlohmann::json& body) {
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(json_text(body), "application/json");
}

// httplib calls the provider again as long as it returns true; each call
// waits for messages (at most until the next ping is due), so the thread
// sleeps between them. A failed write means the browser went: false ends
// the response and the slot's destructor frees the stream.
void stream_events(httplib::Response& res, std::shared_ptr<stream_slot> slot,
                   std::chrono::milliseconds ping, std::chrono::milliseconds wait,
                   std::function<bool(stream_queue&)> turn) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    auto next_ping = std::make_shared<std::chrono::steady_clock::time_point>(
        std::chrono::steady_clock::now() + ping);
    res.set_chunked_content_provider(
        "text/event-stream",
        [slot, ping, wait, turn = std::move(turn), next_ping](std::size_t,
                                                              httplib::DataSink& sink) {
            if (turn && !turn(slot->queue())) {
                return false;
            }
            auto batch = slot->queue().take(wait);
            if (batch.closed) {
                return false;
            }
            for (const auto& message : batch.messages) {
                if (!sink.write(message.data(), message.size())) {
                    return false;
                }
            }
            const auto now = std::chrono::steady_clock::now();
            if (now >= *next_ping) {
                *next_ping = now + ping;
                static constexpr std::string_view comment = ": ping\n\n";
                return sink.write(comment.data(), comment.size());
            }
            return true;
        },
        [slot](bool) { slot->queue().close(); });
}

}  // namespace skynet::web
