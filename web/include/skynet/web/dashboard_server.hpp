#pragma once
// The dashboard's HTTP server: the page (compiled in), the JSON API and the
// event streams, over a live model of the cluster fed by the registry
// (docs/dashboard.md has the API).
//
// Threads: httplib's pool serves requests (each stream holds one thread);
// the registry's listener feeds the model; a ticker computes the figures
// every second and polls the host daemons; a subscriber follows skyd's
// events. None waits on a browser: each stream has a bounded queue.

#include <memory>

#include "skynet/web/dashboard_options.hpp"

namespace skynet::web {

class dashboard_server {
public:
    // Binds `options.listen` and starts following the registry; serving
    // starts with run() or start(). Throws std::invalid_argument for a bad
    // listen address and std::system_error when it cannot bind.
    explicit dashboard_server(dashboard_options options);
    // Stops (as stop()) and joins every thread.
    ~dashboard_server();
    dashboard_server(const dashboard_server&) = delete;
    dashboard_server& operator=(const dashboard_server&) = delete;

    // The port bound.
    int port() const noexcept;
    // Serves on this thread until stop().
    void run();
    // Serves on a thread of its own; returns at once.
    void start();
    // Any thread, more than once: closes the streams and ends run().
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::web
