// skynet-broker: a Majordomo (7/MDP/0.1) broker; with --redis, registered in
// the registry for clients and workers of its region to find.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>

#include "access_file.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/broker/registration.hpp"
#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/options.hpp"
#include "skynet/runtime/serve.hpp"
#include "skynet/runtime/systemd_notify.hpp"
#include "skynet/security/keys.hpp"

namespace {

using namespace skynet;
namespace po = runtime::po;

void add_options(runtime::option_parser& parser) {
    broker_options defaults;
    auto ms = [](std::chrono::milliseconds d) { return static_cast<int>(d.count()); };
    parser.add()("bind", po::value<std::string>()->default_value(defaults.bind),
                 "endpoint for clients and workers")(
        "heartbeat-ms", po::value<int>()->default_value(ms(defaults.heartbeat)),
        "heartbeat interval, both ways")("liveness",
                                         po::value<int>()->default_value(defaults.liveness),
                                         "heartbeats missed before a worker is dead")(
        "max-queue", po::value<std::size_t>()->default_value(defaults.max_queue),
        "requests waiting per service before OVERLOADED")(
        "max-message-size", po::value<std::size_t>()->default_value(defaults.max_message_size),
        "bytes in a request's body before BAD_REQUEST")(
        "max-clients", po::value<std::size_t>()->default_value(defaults.max_clients),
        "clients with requests in the broker before OVERLOADED")(
        "max-client-requests",
        po::value<std::uint32_t>()->default_value(defaults.max_client_requests),
        "requests one client may have in the broker before OVERLOADED")(
        "unknown-service-ms", po::value<int>()->default_value(ms(defaults.unknown_service_wait)),
        "how long a request waits for a service nobody serves before UNKNOWN_SERVICE")(
        "max-credit", po::value<std::uint32_t>()->default_value(defaults.max_credit),
        "most requests one worker connection may hold")(
        "drain-ms", po::value<int>()->default_value(ms(defaults.drain_timeout)),
        "on SIGTERM, how long in-flight requests get to finish")(
        "farewell-ms", po::value<int>()->default_value(ms(defaults.farewell)),
        "after the drain, how long to serve on so that slow clients read their last replies")(
        "no-batching", po::bool_switch(),
        "refuse batch frames: one request per message with every client and worker")(
        "lease-ms", po::value<int>()->default_value(10000),
        "with --redis: how soon the registry drops this broker if it dies without a word")(
        "instance-id", po::value<std::string>()->default_value(""),
        "with --redis: register under this instance id (set by skyd through "
        "SKYNET_INSTANCE_ID); default: a fresh one")(
        "managed-by", po::value<std::string>()->default_value(""),
        "with --redis: the host daemon managing this broker (set by skyd through "
        "SKYNET_MANAGED_BY)")("advertise", po::value<std::string>(),
                              "endpoint clients and workers dial, as registered with --redis "
                              "(default: --bind, a wildcard address replaced by --host)")(
        "metrics-listen", po::value<std::string>()->default_value(""),
        "serve Prometheus metrics on GET /metrics at host:port (port 0: any free port)")(
        "curve-key", po::value<std::string>(),
        "CURVE: this broker's secret key file (sky keygen NAME writes NAME.key); needs "
        "--allow-keys")("allow-keys", po::value<std::string>(),
                        "CURVE: a directory of NAME.pub files, the client keys let in")(
        "access", po::value<std::string>(),
        "access rules file: which keys may offer and call which services (docs/security.md); "
        "needs CURVE; SIGHUP reads it and --allow-keys again");
}

// --curve-key and --allow-keys: a key file that cannot be used is a bad
// option (exit 2), said in the key loader's own words.
void add_curve(const runtime::option_parser& parser, broker_options& options) {
    if (parser.has("curve-key") != parser.has("allow-keys")) {
        throw runtime::options_error("--curve-key and --allow-keys go together");
    }
    if (!parser.has("curve-key")) {
        return;
    }
    try {
        options.curve_secret_key =
            security::load_secret_key_file(parser.get<std::string>("curve-key")).secret_key;
        options.allowed_keys = std::make_shared<const security::allowed_keys>(
            security::load_allowed_keys(parser.get<std::string>("allow-keys")));
    } catch (const security::key_error& e) {
        throw runtime::options_error(e.what());
    }
    runtime::logger_for("broker")->info("CURVE on: {} client keys allowed",
                                        options.allowed_keys->size());
}

// The access control of a CURVE broker: the --access rules (none: every
// allowed key may do everything) and the names of the keys allowed now, so
// that a key removed on a reload loses access at its next message.
// Throws security::access_rules_error.
std::shared_ptr<const broker_access> access_of(const runtime::option_parser& parser,
                                               const security::allowed_keys& keys) {
    std::vector<std::string> names;
    for (const auto& [key, name] : keys) {
        names.push_back(name);
    }
    const auto path = parser.has("access") ? parser.get<std::string>("access") : std::string();
    return broker_main::load_access(path, true, names);
}

// --access needs CURVE: on a plain broker no peer has a key name, so rules
// would refuse everyone: a configuration error, said at start.
void add_access(const runtime::option_parser& parser, broker_options& options) {
    if (parser.has("access") && !options.allowed_keys) {
        throw runtime::options_error("--access " + parser.get<std::string>("access") +
                                     " needs CURVE (--curve-key and --allow-keys): without it "
                                     "no peer has a key name the rules could allow");
    }
    if (!options.allowed_keys) {
        return;
    }
    try {
        options.access = access_of(parser, *options.allowed_keys);
    } catch (const security::access_rules_error& e) {
        throw runtime::options_error(std::string("--access ") + e.what());
    }
    if (options.access->rules) {
        runtime::logger_for("broker")->info("access rules loaded rules={}",
                                            options.access->rules->size());
    }
}

// SIGHUP, on the signal watcher's thread: the keys and the rules read
// again and handed to the broker; if either does not load, it is logged and
// the keys and rules in force stay.
void reload(const runtime::option_parser& parser, broker* b) {
    auto log = runtime::logger_for("broker");
    if (b == nullptr || !parser.has("allow-keys")) {
        log->info("SIGHUP: nothing to reload");
        return;
    }
    try {
        auto keys = std::make_shared<const security::allowed_keys>(
            security::load_allowed_keys(parser.get<std::string>("allow-keys")));
        auto access = access_of(parser, *keys);
        log->info("reloaded keys={} rules={}", keys->size(),
                  access->rules ? access->rules->size() : 0);
        b->set_allowed_keys(std::move(keys));
        b->set_access(std::move(access));
    } catch (const security::key_error& e) {
        log->error("keys not reloaded, the old keys and rules stay: {}", e.what());
    } catch (const security::access_rules_error& e) {
        log->error("access rules not reloaded, the old keys and rules stay: {}", e.what());
    }
}

broker_options options_from(const runtime::option_parser& parser) {
    broker_options options;
    options.bind = parser.get<std::string>("bind");
    options.heartbeat = std::chrono::milliseconds(parser.get<int>("heartbeat-ms"));
    options.liveness = parser.get<int>("liveness");
    options.max_queue = parser.get<std::size_t>("max-queue");
    options.unknown_service_wait = std::chrono::milliseconds(parser.get<int>("unknown-service-ms"));
    options.max_credit = parser.get<std::uint32_t>("max-credit");
    options.max_message_size = parser.get<std::size_t>("max-message-size");
    options.max_clients = parser.get<std::size_t>("max-clients");
    options.max_client_requests = parser.get<std::uint32_t>("max-client-requests");
    options.drain_timeout = std::chrono::milliseconds(parser.get<int>("drain-ms"));
    if (parser.get<int>("farewell-ms") < 0) {
        throw runtime::options_error("--farewell-ms must not be negative");
    }
    options.farewell = std::chrono::milliseconds(parser.get<int>("farewell-ms"));
    options.batching = !parser.get<bool>("no-batching");
    options.metrics_listen = parser.get<std::string>("metrics-listen");
    if (options.heartbeat.count() <= 0 || options.liveness <= 0 || options.max_credit == 0 ||
        options.max_message_size == 0 || options.max_clients == 0 ||
        options.max_client_requests == 0) {
        throw runtime::options_error(
            "--heartbeat-ms, --liveness, --max-credit, --max-message-size, --max-clients and "
            "--max-client-requests must be positive");
    }
    if (parser.get<int>("lease-ms") < 100) {
        throw runtime::options_error("--lease-ms must be at least 100");
    }
    add_curve(parser, options);
    add_access(parser, options);
    return options;
}

// The registration of this broker when --redis was given: it hooks
// `options` (services and lost workers), and registers once the broker bound.
std::unique_ptr<broker_registration> registration_for(const runtime::option_parser& parser,
                                                      broker_options& options) {
    if (!parser.common().redis_given) {
        return nullptr;
    }
    const auto& common = parser.common();
    broker_registration_options settings;
    settings.redis = common.redis;
    settings.redis_prefix = common.prefix;
    settings.region = common.region;
    settings.host = common.host;
    settings.advertise = parser.has("advertise") ? parser.get<std::string>("advertise") : "";
    settings.lease = std::chrono::milliseconds(parser.get<int>("lease-ms"));
    settings.instance_id = parser.get<std::string>("instance-id");
    settings.managed_by = parser.get<std::string>("managed-by");
    try {
        return std::make_unique<broker_registration>(std::move(settings), options);
    } catch (const std::invalid_argument& e) {
        throw runtime::options_error(std::string("--") + e.what());  // "--redis: ..."
    }
}

// Under systemd (Type=notify, docs/operations.md): READY=1 at the first tick
// of the broker's loop, once it is bound and serving; WATCHDOG=1 at half of
// WatchdogSec= from the loop's own ticks, so that a loop that hangs stops the
// pings. Nothing per message; without NOTIFY_SOCKET every call is a no-op.
void pace_systemd(broker_options& options) {
    struct pacing {
        std::optional<std::chrono::microseconds> watchdog = runtime::watchdog_interval();
        bool ready = false;
        std::chrono::steady_clock::time_point next_ping;
    };
    options.on_tick = [state = std::make_shared<pacing>(), next = std::move(options.on_tick)] {
        if (next) {
            next();  // the registration's, say
        }
        const auto now = std::chrono::steady_clock::now();
        if (!state->ready) {
            state->ready = true;
            runtime::notify_ready();
        }
        if (state->watchdog && now >= state->next_ping) {
            runtime::notify_watchdog();
            state->next_ping = now + *state->watchdog / 2;
        }
    };
}

// Leaving: STOPPING=1 to systemd (once: serve() asks again once the loop
// returned), out of the registry's list of live brokers, so that clients and
// workers stop choosing this one while it drains, then drain.
void begin_stop(broker& b, broker_registration* registered, std::atomic<bool>& stopping) {
    if (!stopping.exchange(true)) {
        runtime::notify_stopping();
    }
    if (registered != nullptr) {
        registered->draining();
    }
    b.stop();
}

int serve(const runtime::option_parser& parser, broker_options options) {
    // Before any thread starts, so that every thread blocks SIGINT, SIGTERM
    // and SIGHUP and only the watcher takes them; one that comes meanwhile is
    // kept. SIGHUP reloads (once the broker is made; before, there is
    // nothing to reload into).
    std::mutex reload_mutex;
    broker* reloadable = nullptr;  // guarded by reload_mutex: set while the broker lives
    runtime::stop_signals signals([&] {
        std::lock_guard lock(reload_mutex);
        reload(parser, reloadable);
    });
    // Hooked before the broker is made; registered once it has bound, so
    // that the registry gets the port actually bound.
    auto registration = registration_for(parser, options);
    pace_systemd(options);
    if (auto problem = runtime::endpoint_problem(options.bind, runtime::endpoint_use::bind)) {
        throw runtime::options_error("--bind " + options.bind + ": " + *problem);
    }
    zmq::context_t context(1);
    std::unique_ptr<broker> made;
    try {
        made = std::make_unique<broker>(options, context);  // binds, or throws zmq::error_t
    } catch (const std::invalid_argument& e) {
        throw runtime::options_error(std::string("--metrics-listen: ") + e.what());
    }
    auto& b = *made;
    {
        std::lock_guard lock(reload_mutex);
        reloadable = &b;
    }
    if (!options.metrics_listen.empty()) {
        runtime::logger_for("broker")->info("metrics on http://{}/metrics", b.metrics_address());
    }
    if (registration) {
        registration->start(b);
    }
    std::atomic<bool> stopping{false};
    auto stop = [&] { begin_stop(b, registration.get(), stopping); };
    const int status = signals.serve({{"broker", [&b] { b.run(); }, stop}});
    {
        std::lock_guard lock(reload_mutex);
        reloadable = nullptr;
    }
    registration.reset();  // out of the registry before the broker it steers is gone
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    runtime::option_parser parser("skynet-broker", "a Majordomo (7/MDP/0.1) service broker");
    add_options(parser);
    parser.parse_or_exit(argc, argv);
    try {
        return serve(parser, options_from(parser));
    } catch (const runtime::options_error& e) {
        std::cerr << "skynet-broker: " << e.what() << " (try --help)\n";
        return 2;
    } catch (const std::runtime_error& e) {
        std::cerr << "skynet-broker: " << e.what() << "\n";  // metrics port in use
        return 1;
    } catch (const zmq::error_t& e) {
        const auto bind = parser.get<std::string>("bind");
        // ZeroMQ's word for an endpoint of the wrong form: a bad option (2),
        // not an address it could not have now, such as a port in use (1).
        if (e.num() == EINVAL || e.num() == EPROTONOSUPPORT) {
            std::cerr << "skynet-broker: --bind " << bind << ": " << e.what()
                      << " (an endpoint such as tcp://*:5555; try --help)\n";
            return 2;
        }
        std::cerr << "skynet-broker: cannot serve on " << bind << ": " << e.what() << "\n";
        return 1;
    }
}
