// skyd: the host daemon. One per host: registers the host with its figures,
// runs the services deployed to it, restarts them when they die, keeps their
// logs, and does what `sky` tells it (docs/skyd.md).
#include <iostream>

#include "host_daemon.hpp"
#include "skynet/registry/credentials.hpp"
#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/options.hpp"
#include "skynet/runtime/serve.hpp"

namespace {

using namespace skynet;
namespace po = runtime::po;

void add_options(runtime::option_parser& parser) {
    const daemon::restart_settings restarts;
    auto ms = [](std::chrono::milliseconds d) { return static_cast<int>(d.count()); };
    parser.add()("state-dir", po::value<std::string>()->default_value("/var/lib/skyd"),
                 "where the managed processes are remembered (processes.json)")(
        "log-dir", po::value<std::string>()->default_value("/var/log/skyd"),
        "where each process's output goes (<id>.log, rotated)")(
        "deploy-file", po::value<std::string>(),
        "JSON list of the processes this host runs, started at boot")(
        "id", po::value<std::string>(), "this daemon's instance id (default: skyd-<host>)")(
        "on-exit", po::value<std::string>()->default_value("stop"),
        "on SIGTERM: stop the managed processes, or leave them for the next skyd to adopt")(
        "log-max-bytes", po::value<std::uint64_t>()->default_value(10 * 1024 * 1024),
        "a log file's size before it is rotated")("log-files", po::value<int>()->default_value(10),
                                                  "log files kept per process")(
        "figures-ms", po::value<int>()->default_value(5000),
        "how often the host's figures are published")(
        "lease-ms", po::value<int>()->default_value(10000),
        "how soon the registry drops this daemon if it dies without a word")(
        "restart-delay-ms", po::value<int>()->default_value(ms(restarts.first_delay)),
        "the first restart's delay; it doubles after each failed start")(
        "restart-max-ms", po::value<int>()->default_value(ms(restarts.max_delay)),
        "the longest delay between restarts")(
        "healthy-after-ms", po::value<int>()->default_value(ms(restarts.healthy_after)),
        "a run this long resets the delay and forgets earlier failures")(
        "crash-window-ms", po::value<int>()->default_value(ms(restarts.crash_window)),
        "failed starts are counted over this window")(
        "crash-limit", po::value<int>()->default_value(restarts.crash_limit),
        "more failed starts than this in the window: crash-looping, no more restarts")(
        "metrics-listen", po::value<std::string>()->default_value(""),
        "serve Prometheus metrics on GET /metrics at host:port (port 0: any free port)");
}

std::chrono::milliseconds positive_ms(const runtime::option_parser& parser, const char* name) {
    const int value = parser.get<int>(name);
    if (value <= 0) {
        throw runtime::options_error(std::string("--") + name + " must be positive");
    }
    return std::chrono::milliseconds(value);
}

daemon::restart_settings restarts_from(const runtime::option_parser& parser) {
    daemon::restart_settings r;
    r.first_delay = positive_ms(parser, "restart-delay-ms");
    r.max_delay = positive_ms(parser, "restart-max-ms");
    r.healthy_after = positive_ms(parser, "healthy-after-ms");
    r.crash_window = positive_ms(parser, "crash-window-ms");
    r.crash_limit = parser.get<int>("crash-limit");
    if (r.crash_limit <= 0 || r.max_delay < r.first_delay) {
        throw runtime::options_error(
            "--crash-limit must be positive and --restart-max-ms at least --restart-delay-ms");
    }
    return r;
}

daemon::skyd_settings settings_from(const runtime::option_parser& parser) {
    const auto& common = parser.common();
    daemon::skyd_settings s;
    s.redis_url = common.redis;
    auto redis = registry::options_from_url(common.redis, common.prefix);
    if (!redis) {
        throw runtime::options_error("--redis " + common.redis + ": " + redis.err().detail);
    }
    s.redis = *redis;
    try {
        registry::refuse_wrong_credentials(s.redis, "skyd");
    } catch (const std::invalid_argument& e) {
        throw runtime::options_error(e.what());
    }
    s.region = common.region;
    s.host = common.host;
    s.id = parser.has("id") ? parser.get<std::string>("id") : "skyd-" + common.host;
    s.state_dir = parser.get<std::string>("state-dir");
    s.log_dir = parser.get<std::string>("log-dir");
    if (parser.has("deploy-file")) {
        s.deploy_file = parser.get<std::string>("deploy-file");
    }
    const auto on_exit = parser.get<std::string>("on-exit");
    if (on_exit != "stop" && on_exit != "leave") {
        throw runtime::options_error("--on-exit must be stop or leave, not " + on_exit);
    }
    s.stop_on_exit = on_exit == "stop";
    s.log_max_bytes = parser.get<std::uint64_t>("log-max-bytes");
    s.log_files = parser.get<int>("log-files");
    if (s.log_max_bytes == 0 || s.log_files < 1) {
        throw runtime::options_error("--log-max-bytes and --log-files must be positive");
    }
    s.figures_interval = positive_ms(parser, "figures-ms");
    s.lease = positive_ms(parser, "lease-ms");
    s.restarts = restarts_from(parser);
    s.metrics_listen = parser.get<std::string>("metrics-listen");
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    runtime::option_parser parser("skyd", "the host daemon: runs, restarts and steers services");
    add_options(parser);
    parser.parse_or_exit(argc, argv);
    try {
        auto settings = settings_from(parser);
        // Before any thread: every thread blocks SIGINT and SIGTERM.
        runtime::stop_signals signals;
        daemon::host_daemon d(std::move(settings));
        return signals.serve({{"skyd", [&d] { d.run(); }, [&d] { d.stop(); }}});
    } catch (const runtime::options_error& e) {
        std::cerr << "skyd: " << e.what() << " (try --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "skyd: " << e.what() << "\n";
        return 1;
    }
}
