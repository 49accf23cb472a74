// skynet-broker: a Majordomo (7/MDP/0.1) broker.
#include <atomic>
#include <iostream>

#include "skynet/broker/broker.hpp"
#include "skynet/bus/logging.hpp"
#include "skynet/bus/options.hpp"
#include "skynet/bus/signals.hpp"

int main(int argc, char** argv) {
    using namespace skynet;
    namespace po = bus::po;
    bus::option_parser parser("skynet-broker", "a Majordomo (7/MDP/0.1) service broker");
    broker_options defaults;
    parser.add()
        ("bind", po::value<std::string>()->default_value(defaults.bind),
         "endpoint for clients and workers")
        ("heartbeat-ms", po::value<int>()->default_value(static_cast<int>(defaults.heartbeat.count())),
         "heartbeat interval, both ways")
        ("liveness", po::value<int>()->default_value(defaults.liveness),
         "heartbeats missed before a worker is dead")
        ("max-queue", po::value<std::size_t>()->default_value(defaults.max_queue),
         "requests waiting per service before OVERLOADED")
        ("unknown-service-ms",
         po::value<int>()->default_value(static_cast<int>(defaults.unknown_service_wait.count())),
         "how long a request waits for a service nobody serves before UNKNOWN_SERVICE")
        ("max-credit", po::value<std::uint32_t>()->default_value(defaults.max_credit),
         "most requests one worker connection may hold")
        ("drain-ms", po::value<int>()->default_value(static_cast<int>(defaults.drain_timeout.count())),
         "on SIGTERM, how long in-flight requests get to finish");
    parser.parse_or_exit(argc, argv);

    broker_options options;
    options.bind = parser.get<std::string>("bind");
    options.heartbeat = std::chrono::milliseconds(parser.get<int>("heartbeat-ms"));
    options.liveness = parser.get<int>("liveness");
    options.max_queue = parser.get<std::size_t>("max-queue");
    options.unknown_service_wait = std::chrono::milliseconds(parser.get<int>("unknown-service-ms"));
    options.max_credit = parser.get<std::uint32_t>("max-credit");
    options.drain_timeout = std::chrono::milliseconds(parser.get<int>("drain-ms"));
    if (options.heartbeat.count() <= 0 || options.liveness <= 0 || options.max_credit == 0) {
        std::cerr << "skynet-broker: --heartbeat-ms, --liveness and --max-credit must be positive\n";
        return 2;
    }

    // Before any thread starts, so that every thread blocks SIGINT and SIGTERM
    // and only the watcher takes them.
    std::atomic<broker*> running{nullptr};
    bus::signal_watcher signals([&](int) {
        if (auto* b = running.load()) {
            b->stop();
        }
    });
    zmq::context_t context(1);
    try {
        broker b(options, context);
        running.store(&b);
        if (signals.last_signal() != 0) {
            b.stop();  // asked to stop while we were starting
        }
        b.run();
        running.store(nullptr);
    } catch (const zmq::error_t& e) {
        std::cerr << "skynet-broker: cannot serve on " << options.bind << ": " << e.what() << "\n";
        return 1;
    }
    return 0;
}
