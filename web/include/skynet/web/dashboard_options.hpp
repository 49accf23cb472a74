#pragma once
// What `sky dashboard` is told: where to listen, which registry to show, and
// the limits and rhythms of its figures and streams (docs/dashboard.md).

#include <chrono>
#include <cstddef>
#include <string>

#include "skynet/registry/redis_url.hpp"

namespace skynet::web {

struct dashboard_options {
    // "host:port"; loopback unless the user says otherwise (--listen). Port
    // 0 takes a free one (dashboard_server::port() says which).
    std::string listen = "127.0.0.1:8080";
    registry::options registry;
    // Event streams (/api/events, /api/logs) open at once; one more gets 503.
    std::size_t max_streams = 16;
    // Messages a stream may have waiting for a slow browser; past it the
    // stream is closed and the browser reconnects (and resynchronises).
    std::size_t stream_queue = 512;
    // Deltas kept for a browser that reconnects with Last-Event-ID.
    std::size_t replay = 2048;
    // Event-log entries kept (registry changes and skyd events).
    std::size_t events_kept = 500;
    std::chrono::milliseconds figures_interval{1000};  // /api/services, `services` events
    std::chrono::milliseconds daemons_interval{3000};  // the daemons' process listings
    std::chrono::milliseconds ping_interval{2000};     // ": ping" on every stream
    std::chrono::milliseconds history_step{5000};      // one chart point per service
    std::size_t history_points = 120;                  // 10 minutes at 5 s
    std::chrono::milliseconds command_timeout{3000};   // actions, daemons, logs
};

}  // namespace skynet::web
