#include "skynet/service/serve.hpp"

#include <errno.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/serve.hpp"
#include "skynet/runtime/systemd_notify.hpp"

namespace skynet {
namespace {

// Options the worker or broker cannot use: status 2, with this one line.
class unusable_options : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What a bind said about its endpoint: its form is wrong (status 2), or it
// is well formed but cannot be had now, such as a port in use (status 1).
bool names_a_malformed_endpoint(const zmq::error_t& e) {
    return e.num() == EINVAL || e.num() == EPROTONOSUPPORT;
}

// The endpoint a worker in this process dials to reach `b`.
std::string dial_endpoint(const broker& b) {
    auto endpoint = b.endpoint();
    if (auto wildcard = endpoint.find("://0.0.0.0:"); wildcard != std::string::npos) {
        endpoint.replace(wildcard + 3, 7, "127.0.0.1");
    }
    return endpoint;
}

// Binds a broker on a context it shares with `options`' worker, which is
// told to serve on it too.
runtime::served_part broker_part(broker_options settings, worker_options& options) {
    if (!options.context) {
        options.context = std::make_shared<zmq::context_t>(1);
    }
    settings.context = options.context;
    const auto bind = settings.bind;
    if (auto problem = runtime::endpoint_problem(bind, runtime::endpoint_use::bind)) {
        throw unusable_options("broker bind " + bind + ": " + *problem);
    }
    std::shared_ptr<broker> b;
    try {
        b = std::make_shared<broker>(std::move(settings));
    } catch (const zmq::error_t& e) {
        if (names_a_malformed_endpoint(e)) {
            throw unusable_options("broker bind " + bind + ": " + e.what());
        }
        throw std::runtime_error("cannot bind a broker on " + bind + ": " + e.what());
    }
    options.brokers.push_back(dial_endpoint(*b));
    runtime::logger_for("service")->info("broker bound endpoint={}", b->endpoint());
    return {"broker", [b] { b->run(); }, [b] { b->stop(); }};
}

// Builds the worker and lets `setup` register its handlers; it starts once
// served, on a thread that blocks the signals.
runtime::served_part worker_part(worker_options options, const service_setup& setup) {
    std::shared_ptr<worker> w;
    try {
        for (const auto& endpoint : options.brokers) {
            if (auto problem = runtime::endpoint_problem(endpoint)) {
                throw std::invalid_argument("worker_options.brokers " + endpoint + ": " + *problem);
            }
        }
        if (auto url = registry::parse_redis_url(options.redis); !options.redis.empty() && !url) {
            throw std::invalid_argument("worker_options.redis: " + url.err().detail);
        }
        w = std::make_shared<worker>(std::move(options));
    } catch (const std::invalid_argument& e) {
        throw unusable_options(e.what());
    }
    setup(*w);
    auto run = [w] {
        auto log = runtime::logger_for("service");
        w->start();
        log->info("serving service={} brokers={}", w->announced_name(),
                  w->options().brokers.size());
        // Under systemd (Type=notify; nothing without NOTIFY_SOCKET): up once
        // it serves, its handlers registered and its brokers being dialled.
        runtime::notify_ready();
        w->wait();
        log->info("stopped service={}", w->announced_name());
    };
    auto stop = [w] {
        runtime::notify_stopping();  // draining now; more than once is harmless
        w->stop();
    };
    return {"worker", std::move(run), std::move(stop)};
}

int serve_as(const std::string& program, std::optional<broker_options> broker_settings,
             worker_options options, const service_setup& setup) {
    // First, before any thread starts: every thread started after it blocks
    // SIGINT and SIGTERM, and a signal that comes from now on is kept.
    runtime::stop_signals signals;
    std::vector<runtime::served_part> parts;
    try {
        if (broker_settings) {
            parts.push_back(broker_part(std::move(*broker_settings), options));
        }
        parts.push_back(worker_part(std::move(options), setup));
    } catch (const unusable_options& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        runtime::logger_for("service")->error("cannot start error=\"{}\"", e.what());
        return 1;
    }
    return signals.serve(std::move(parts));
}

// For forms without a command line: the name the process was started by.
std::string invoked_name() {
    return program_invocation_short_name;
}

}  // namespace

int run_service(int argc, const char* const* argv, std::string service,
                const service_setup& setup) {
    std::string program = argc > 0 && argv[0] != nullptr
                              ? std::filesystem::path(argv[0]).filename().string()
                              : service;
    command_line args(program_kind::service, std::move(program), "the " + service + " service");
    args.parse_or_exit(argc, argv);
    return run_service(args, std::move(service), setup);
}

int run_service(const command_line& args, std::string service, const service_setup& setup) {
    worker_options options;
    try {
        options = args.make_worker_options(std::move(service));
    } catch (const runtime::options_error& e) {
        args.exit_with_error(e.what());
    }
    return serve_as(args.program(), std::nullopt, std::move(options), setup);
}

int serve(worker_options options, const service_setup& setup) {
    return serve_as(invoked_name(), std::nullopt, std::move(options), setup);
}

int serve(broker_options broker, worker_options options, const service_setup& setup) {
    return serve_as(invoked_name(), std::move(broker), std::move(options), setup);
}

}  // namespace skynet
