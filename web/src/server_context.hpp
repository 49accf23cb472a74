#pragma once
// What the HTTP handlers share: the options, the model and the hub. Owned by
// the server, alive while it serves.

#include <httplib.h>

#include "cluster_model.hpp"
#include "event_hub.hpp"
#include "skynet/web/dashboard_options.hpp"

namespace skynet::web {

struct server_context {
    const dashboard_options& options;
    cluster_model& model;
    event_hub& hub;
};

// 400/404/503 with {"error": message}.
void send_error(httplib::Response& res, int status, const std::string& message);
// 200 with `body` as application/json.
void send_json(httplib::Response& res, const nlohmann::json& body);

// The routes, each in its file.
void add_api_routes(httplib::Server& server, server_context& context);    // api_routes.cpp
void add_event_stream(httplib::Server& server, server_context& context);  // event_stream.cpp
void add_logs_stream(httplib::Server& server, server_context& context);   // logs_stream.cpp
void add_actions(httplib::Server& server, server_context& context);       // actions.cpp

// Writes what `slot` receives to the response as server-sent events, with
// ": ping" every ping interval, until the stream closes or the browser goes.
// `turn` (if set) runs before each wait, on the stream's thread (the logs
// stream polls there); it returns false to end the stream.
void stream_events(httplib::Response& res, std::shared_ptr<stream_slot> slot,
                   std::chrono::milliseconds ping, std::chrono::milliseconds wait,
                   std::function<bool(stream_queue&)> turn = {});

}  // namespace skynet::web
