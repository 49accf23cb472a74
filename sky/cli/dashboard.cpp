// dashboard: serves the live web dashboard (skynet/web/dashboard_server.hpp,
// docs/dashboard.md) until SIGINT or SIGTERM. Loopback unless --listen says
// otherwise: the API can steer the cluster.

#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/signals.hpp"
#include "skynet/web/dashboard_server.hpp"

namespace skynet::sky {

namespace {

constexpr int most_streams = 10000;

web::dashboard_options options_of(const session& s, const invocation& inv) {
    if (!inv.args.empty()) {
        throw usage_error("dashboard takes no arguments (got '" + inv.args.front() + "')");
    }
    web::dashboard_options o;
    o.registry = s.registry();
    if (inv.listen) {
        o.listen = *inv.listen;
    }
    if (inv.max_streams) {
        if (*inv.max_streams < 1 || *inv.max_streams > most_streams) {
            throw usage_error("--max-streams must be from 1 to " + std::to_string(most_streams));
        }
        o.max_streams = static_cast<std::size_t>(*inv.max_streams);
    }
    if (inv.timeout) {
        o.command_timeout = *inv.timeout;
    }
    return o;
}

}  // namespace

int run_dashboard(session& s, const invocation& inv) {
    auto options = options_of(s, inv);
    // Before any thread starts, so that every thread has the signals blocked.
    std::atomic<web::dashboard_server*> running{nullptr};
    runtime::signal_watcher signals([&](int) {
        if (auto* server = running.load()) {
            server->stop();
        }
    });
    runtime::set_log_level("info");
    std::unique_ptr<web::dashboard_server> server;
    try {
        server = std::make_unique<web::dashboard_server>(options);
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    }
    s.out << "dashboard: http://" << options.listen.substr(0, options.listen.rfind(':')) << ":"
          << server->port() << "/ (registry " << s.url() << ")" << std::endl;
    running = server.get();
    if (signals.last_signal() == 0) {
        server->run();
    }
    running = nullptr;
    return exit_code::ok;
}

}  // namespace skynet::sky
