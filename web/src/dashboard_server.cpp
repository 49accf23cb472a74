#include "skynet/web/dashboard_server.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "cluster_model.hpp"
#include "event_hub.hpp"
#include "periodic.hpp"
#include "server_context.hpp"
#include "skynet/registry/channel_subscriber.hpp"
#include "skynet/registry/instance_listener.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/sky/daemon_calls.hpp"

namespace skynet::web {

namespace {

// Threads beyond the streams, for the API and the page while every stream
// is open (and for the 503 that refuses one more).
constexpr std::size_t spare_threads = 16;
constexpr std::size_t most_body = 1 << 20;

struct listen_address {
    std::string host;
    int port = 0;
};

// "host:port", "[v6]:port". Throws std::invalid_argument.
listen_address parse_listen(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        throw std::invalid_argument("--listen " + text + ": expected HOST:PORT");
    }
    listen_address out{text.substr(0, colon), 0};
    if (out.host.front() == '[' && out.host.back() == ']') {
        out.host = out.host.substr(1, out.host.size() - 2);
    }
    const auto port = text.substr(colon + 1);
    if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
        std::stoi(port) > 65535) {
        throw std::invalid_argument("--listen " + text + ": bad port '" + port + "'");
    }
    out.port = std::stoi(port);
    return out;
}

}  // namespace

struct dashboard_server::impl {
    const dashboard_options options;
    event_hub hub{options.max_streams, options.stream_queue, options.replay};
    cluster_model model{options, hub};
    server_context context{options, model, hub};
    httplib::Server server;
    int port = 0;
    std::atomic<bool> stopping{false};
    int misses = 0;  // the ticker's: ticks in a row without the registry
    broker_load_reader broker_loads{options.command_timeout};  // the ticker's
    std::thread serving;
    // After the model: their callbacks use it, so they go first.
    std::unique_ptr<registry::instance_listener> listener;
    std::unique_ptr<registry::channel_subscriber> daemon_events;
    std::unique_ptr<periodic> ticker, daemon_poller;

    explicit impl(dashboard_options o) : options(std::move(o)) {}

    void bind() {
        const auto address = parse_listen(options.listen);
        const auto threads = options.max_streams + spare_threads;
        server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        server.set_keep_alive_timeout(2);
        server.set_payload_max_length(most_body);
        server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
            if (res.body.empty()) {
                send_error(res, res.status,
                           res.status == 404 ? "no such path: " + req.path : "request refused");
            }
        });
        server.set_exception_handler(
            [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
                send_error(res, 500, "internal error");
            });
        add_api_routes(server, context);
        add_event_stream(server, context);
        add_logs_stream(server, context);
        add_actions(server, context);
        port = address.port == 0
                   ? server.bind_to_any_port(address.host)
                   : (server.bind_to_port(address.host, address.port) ? address.port : -1);
        if (port <= 0) {
            throw std::system_error(errno, std::generic_category(),
                                    "cannot listen on " + options.listen);
        }
    }

    void follow_registry() {
        listener = std::make_unique<registry::instance_listener>(
            options.registry, registry::query{},
            registry::listener_callbacks{
                .added = [this](const registry::instance& r) { model.added(r); },
                .updated = [this](const registry::instance& r) { model.updated(r); },
                .removed = [this](const registry::instance& r) { model.removed(r); }});
        daemon_events = std::make_unique<registry::channel_subscriber>(
            options.registry, "daemon-events",
            [this](std::string_view text) { model.daemon_event(text); });
        ticker = std::make_unique<periodic>("figures", options.figures_interval, [this] {
            check_redis();
            const auto brokers = model.of_kind(registry::instance_kind::broker);
            model.tick(broker_loads.read(brokers));
        });
        daemon_poller =
            std::make_unique<periodic>("daemons", options.daemons_interval, [this] { poll(); });
    }

    // Down after two ticks in a row without the listener connected: a read
    // taken just before its first callbacks (which say up) must not flap it.
    void check_redis() {
        const bool connected = listener->connected();
        misses = connected ? 0 : misses + 1;
        if (connected || misses >= 2) {
            model.set_redis(connected);
        }
    }

    // Restarts and process states come from the daemons, every few seconds,
    // never per request.
    void poll() {
        if (!model.redis_up()) {
            return;
        }
        const auto daemons = model.of_kind(registry::instance_kind::daemon);
        if (daemons.empty()) {
            model.set_listings({});
            return;
        }
        auto listed = sky::list_processes(options.registry, daemons, options.command_timeout);
        if (listed) {
            model.set_listings(std::move(listed->listings));
        }
    }

    // httplib's stop() does nothing before listen has begun: wait for that
    // (briefly) when a serving thread is on its way, and run() checks the flag.
    void stop() {
        stopping = true;
        hub.close_all();
        for (int i = 0; i < 400 && serving.joinable() && !server.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        server.stop();
    }
};

dashboard_server::dashboard_server(dashboard_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {
    // A browser that went away must fail a write, not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    impl_->bind();
    impl_->follow_registry();
    runtime::logger_for("dashboard")
        ->info("dashboard listening address={} port={} registry={}", impl_->options.listen,
               impl_->port, impl_->options.registry.redis.to_string());
}

dashboard_server::~dashboard_server() {
    stop();
    if (impl_->serving.joinable()) {
        impl_->serving.join();
    }
    impl_->daemon_poller.reset();
    impl_->ticker.reset();
    impl_->daemon_events.reset();
    impl_->listener.reset();
}

int dashboard_server::port() const noexcept {
    return impl_->port;
}

void dashboard_server::run() {
    if (!impl_->stopping) {
        impl_->server.listen_after_bind();
    }
}

void dashboard_server::start() {
    impl_->serving = std::thread([this] { run(); });
}

void dashboard_server::stop() {
    impl_->stop();
}

}  // namespace skynet::web
