#include "service_main.hpp"

#include <memory>

#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/serve.hpp"

namespace skynet::examples {

namespace po = runtime::po;

void add_worker_options(runtime::option_parser& parser, int default_concurrency) {
    // One option per paragraph, as --help lists them.
    // clang-format off
    parser.add()
        ("broker", po::value<std::vector<std::string>>()->composing(),
         "broker endpoint to serve on (repeat for several); default tcp://127.0.0.1:5555, "
         "or with --redis every broker of --region found in the registry")
        ("version", po::value<std::string>()->default_value("1.0"),
         "version announced as name@version")
        ("concurrency", po::value<int>()->default_value(default_concurrency),
         "handlers that may run at once")
        ("credit", po::value<std::uint32_t>()->default_value(0),
         "requests a broker may hand this worker at once (0: concurrency)")
        ("heartbeat-ms", po::value<int>()->default_value(2500),
         "heartbeat interval; match the broker's --heartbeat-ms")
        ("lease-ms", po::value<int>()->default_value(10000),
         "with --redis: how soon the registry drops this worker if it dies without a word");
    // clang-format on
}

worker_options worker_options_from(const runtime::option_parser& parser, std::string service) {
    worker_options options;
    options.service = std::move(service);
    options.version = parser.get<std::string>("version");
    if (parser.has("broker")) {
        options.brokers = parser.get<std::vector<std::string>>("broker");
    } else if (!parser.common().redis_given) {
        options.brokers = {"tcp://127.0.0.1:5555"};
    }
    if (parser.common().redis_given) {
        options.redis = parser.common().redis;
        options.redis_prefix = parser.common().prefix;
        options.region = parser.common().region;
        options.host = parser.common().host;
    }
    options.concurrency = parser.get<int>("concurrency");
    options.credit = parser.get<std::uint32_t>("credit");
    options.heartbeat = std::chrono::milliseconds(parser.get<int>("heartbeat-ms"));
    options.lease = std::chrono::milliseconds(parser.get<int>("lease-ms"));
    if (options.lease < std::chrono::milliseconds(100)) {
        parser.exit_with_error("--lease-ms must be at least 100");
    }
    return options;
}

int serve(worker_options options, const std::function<void(worker&)>& setup) {
    auto log = runtime::logger_for("service");
    return runtime::serve([&] {
        auto w = std::make_shared<worker>(std::move(options));
        setup(*w);
        auto run = [w, log] {
            w->start();
            log->info("serving {} on {} broker(s)", w->announced_name(),
                      w->options().brokers.size());
            w->wait();
            log->info("stopped {}", w->announced_name());
        };
        return std::vector<runtime::served_part>{{"worker", run, [w] { w->stop(); }}};
    });
}

}  // namespace skynet::examples
