#include "options.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/options.hpp"

namespace skynet::bench {

namespace po = runtime::po;

namespace {

void add_bench_options(runtime::option_parser& parser) {
    parser.add()("broker", po::value<std::string>(),
                 "measure this running MDP broker instead of ours")(
        "service", po::value<std::string>(), "call this service there (served by someone else)")(
        "envelope", po::bool_switch(),
        "with --service: call its method echo {data} through our client (a worker of ours, "
        "in any language), not with plain MDP frames")("requests", po::value<std::uint64_t>(),
                                                       "requests per run instead of --seconds")(
        "inflight", po::value<int>()->default_value(1000), "asynchronous calls in flight")(
        "size", po::value<std::size_t>()->default_value(100), "payload bytes")(
        "idempotent", po::bool_switch(), "mark our calls idempotent")(
        "seconds", po::value<double>(), "seconds per run (default 2, --quick 0.5)")(
        "repeat", po::value<int>()->default_value(1),
        "run each scenario this many times and quote the median ratio")(
        "json", po::bool_switch(), "print JSON instead of the table")(
        "scenario", po::value<std::string>(), "run only scenarios whose name contains this")(
        "quick", po::bool_switch(), "short runs, peer counts divided by ten")(
        "list", po::bool_switch(), "list the scenarios and exit")(
        "broker-binary", po::value<std::string>(),
        "skynet-broker for the memory, brokers-per-region and failover figures")(
        "brokers-per-region", po::value<int>()->implicit_value(4),
        "instead of the scenarios: calls/s with 1, 2, .. N brokers (default 4) in one region, "
        "workers and clients finding them in Redis")(
        "failover", po::bool_switch(),
        "instead of the scenarios: SIGKILL the registry's master behind Redis Sentinel under "
        "load, --repeat times; the time to a new master, to every record on it, and the calls "
        "lost");
    // The child roles: skynet-bench runs itself to hold peers in another process.
    parser.add()("child", po::value<std::string>(),
                 "internal: clients, workers, router, flood or echo-workers")(
        "child-endpoint", po::value<std::string>()->default_value(""), "internal")(
        "child-count", po::value<int>()->default_value(0), "internal")(
        "child-service", po::value<std::string>()->default_value(""), "internal")(
        "child-prefix", po::value<std::string>()->default_value("idle"), "internal")(
        "child-first", po::value<int>()->default_value(0), "internal")(
        "child-heartbeat-ms", po::value<int>()->default_value(2500), "internal")(
        "child-region", po::value<std::string>()->default_value("local"), "internal")(
        "child-brokers", po::value<int>()->default_value(1), "internal");
}

// skynet-broker next to this binary (both land in <build>/bin).
std::string default_broker_binary() {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return "skynet-broker";
    }
    return (self.parent_path() / "skynet-broker").string();
}

void read_child(const runtime::option_parser& parser, child_options& child) {
    if (!parser.has("child")) {
        return;
    }
    child.role = parser.get<std::string>("child");
    child.endpoint = parser.get<std::string>("child-endpoint");
    child.count = parser.get<int>("child-count");
    child.service = parser.get<std::string>("child-service");
    child.prefix = parser.get<std::string>("child-prefix");
    child.first = parser.get<int>("child-first");
    child.heartbeat_ms = std::chrono::milliseconds(parser.get<int>("child-heartbeat-ms"));
    child.region = parser.get<std::string>("child-region");
    child.brokers = parser.get<int>("child-brokers");
}

// --brokers-per-region [N] and --failover.
void read_registry_figures(const runtime::option_parser& parser, bench_options& o) {
    o.brokers_per_region =
        parser.has("brokers-per-region") ? parser.get<int>("brokers-per-region") : 0;
    if (parser.has("brokers-per-region") &&
        (o.brokers_per_region < 1 || o.brokers_per_region > 16)) {
        parser.exit_with_error("--brokers-per-region must be between 1 and 16");
    }
    o.failover = parser.get<bool>("failover");
}

}  // namespace

bench_options parse_options(int argc, char** argv) {
    runtime::option_parser parser("skynet-bench",
                                  "measures the bus against a baseline relay on this machine");
    add_bench_options(parser);
    parser.parse_or_exit(argc, argv);
    bench_options o;
    o.broker = parser.has("broker") ? parser.get<std::string>("broker") : "";
    o.service = parser.has("service") ? parser.get<std::string>("service") : "";
    o.envelope = parser.get<bool>("envelope");
    o.requests = parser.has("requests") ? parser.get<std::uint64_t>("requests") : 0;
    o.inflight = std::max(1, parser.get<int>("inflight"));
    o.size = std::max<std::size_t>(parser.get<std::size_t>("size"), 16);
    o.idempotent = parser.get<bool>("idempotent");
    o.json = parser.get<bool>("json");
    o.quick = parser.get<bool>("quick");
    o.list = parser.get<bool>("list");
    o.seconds = parser.has("seconds") ? parser.get<double>("seconds") : (o.quick ? 0.5 : 2.0);
    o.seconds = std::max(o.seconds, 0.1);
    o.repeat = parser.get<int>("repeat");
    if (o.repeat < 1 || o.repeat > 100) {
        parser.exit_with_error("--repeat must be between 1 and 100");
    }
    o.scenario = parser.has("scenario") ? parser.get<std::string>("scenario") : "";
    o.broker_binary = parser.has("broker-binary") ? parser.get<std::string>("broker-binary")
                                                  : default_broker_binary();
    if (o.quick) {
        o.clients /= 10;
        o.workers /= 10;
        o.services /= 10;
        o.queued /= 10;
        o.fibonacci_n = 15;
    }
    if (parser.values()["log-level"].defaulted()) {
        runtime::set_log_level("warn");  // a line per worker READY would drown the table
    }
    read_registry_figures(parser, o);
    read_child(parser, o.child);
    return o;
}

}  // namespace skynet::bench
