#include "skynet/service/command_line.hpp"

#include <stdexcept>

#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/security/keys.hpp"

namespace skynet {
namespace {

namespace po = runtime::po;

const std::string default_broker = "tcp://127.0.0.1:5555";

int as_int(std::chrono::milliseconds d) {
    return static_cast<int>(d.count());
}

// An option read as a count of milliseconds, at least `least`.
std::chrono::milliseconds millis_at_least(const runtime::option_parser& parser,
                                          const std::string& name, int least) {
    const int value = parser.get<int>(name);
    if (value < least) {
        throw runtime::options_error("--" + name + " must be at least " + std::to_string(least) +
                                     " (got " + std::to_string(value) + ")");
    }
    return std::chrono::milliseconds(value);
}

// The --redis URL if one was given, checked here for the same reason as
// --broker; empty otherwise.
std::string redis_of(const runtime::common_options& common) {
    if (!common.redis_given) {
        return {};
    }
    auto parsed = registry::parse_redis_url(common.redis);
    if (!parsed) {
        throw runtime::options_error("--redis: " + parsed.err().detail);
    }
    return common.redis;
}

// --curve-key and --broker-key, loaded: all empty without them. A key file
// that cannot be used is a bad option (exit 2), in the loader's words.
struct curve_keys {
    std::string public_key, secret_key, broker_key;
};
curve_keys curve_of(const runtime::option_parser& parser) {
    if (parser.has("curve-key") != parser.has("broker-key")) {
        throw runtime::options_error("--curve-key and --broker-key go together");
    }
    if (!parser.has("curve-key")) {
        return {};
    }
    try {
        auto own = security::load_secret_key_file(parser.get<std::string>("curve-key"));
        auto broker = security::load_public_key_file(parser.get<std::string>("broker-key"));
        return {std::move(own.public_key), std::move(own.secret_key), std::move(broker)};
    } catch (const security::key_error& e) {
        throw runtime::options_error(e.what());
    }
}

}  // namespace

command_line::command_line(program_kind kind, std::string program, std::string summary,
                           const service_defaults& defaults)
    : kind_(kind), parser_(std::move(program), std::move(summary)) {
    const char* broker_help =
        kind == program_kind::service
            ? "broker endpoint to serve on (repeat for several); default tcp://127.0.0.1:5555, "
              "or with --redis every broker of --region found in the registry"
            : "broker endpoint to call through (repeat for several: failover); default "
              "tcp://127.0.0.1:5555, or with --redis the brokers of --region in the registry";
    parser_.add()("broker", po::value<std::vector<std::string>>()->composing(), broker_help)(
        "curve-key", po::value<std::string>(),
        "CURVE: this process's secret key file (sky keygen NAME writes NAME.key); needs "
        "--broker-key")("broker-key", po::value<std::string>(),
                        "CURVE: the brokers' public key file (NAME.pub); only brokers holding "
                        "it are used");
    if (kind == program_kind::service) {
        add_service_options(defaults);
    }
}

void command_line::add_service_options(const service_defaults& defaults) {
    // One option per paragraph, as --help lists them.
    // clang-format off
    parser_.add()
        ("version", po::value<std::string>()->default_value(defaults.version),
         "version announced as name@version")
        ("concurrency", po::value<int>()->default_value(defaults.concurrency),
         "handlers that may run at once")
        ("credit", po::value<std::uint32_t>()->default_value(defaults.credit),
         "requests a broker may hand this worker at once (0: concurrency)")
        ("heartbeat-ms", po::value<int>()->default_value(2500),
         "heartbeat interval; match the broker's --heartbeat-ms")
        ("lease-ms", po::value<int>()->default_value(10000),
         "with --redis: how soon the registry drops this worker if it dies without a word")
        ("drain-ms", po::value<int>()->default_value(as_int(defaults.drain)),
         "on SIGTERM or SIGINT, how long calls in flight get to finish")
        ("instance-id", po::value<std::string>()->default_value(""),
         "register under this instance id (set by skyd through SKYNET_INSTANCE_ID); "
         "default: a fresh one")
        ("managed-by", po::value<std::string>()->default_value(""),
         "the host daemon managing this process (set by skyd through SKYNET_MANAGED_BY)")
        ("metrics-listen", po::value<std::string>()->default_value(""),
         "serve Prometheus metrics on GET /metrics at host:port (port 0: any free port)");
    // clang-format on
}

bool command_line::parse(int argc, const char* const* argv) {
    return parser_.parse(argc, argv);
}

void command_line::parse_or_exit(int argc, const char* const* argv) {
    parser_.parse_or_exit(argc, argv);
}

void command_line::exit_with_error(const std::string& problem) const {
    parser_.exit_with_error(problem);
}

// The --broker values, each checked here: a worker or client connects on a
// thread of its own, too late to name the option.
std::vector<std::string> command_line::brokers() const {
    if (!parser_.has("broker")) {
        return parser_.common().redis_given ? std::vector<std::string>{}
                                            : std::vector<std::string>{default_broker};
    }
    auto endpoints = parser_.get<std::vector<std::string>>("broker");
    for (const auto& endpoint : endpoints) {
        if (auto problem = runtime::endpoint_problem(endpoint)) {
            throw runtime::options_error("--broker " + endpoint + ": " + *problem);
        }
    }
    return endpoints;
}

worker_options command_line::make_worker_options(std::string service) const {
    if (kind_ != program_kind::service) {
        throw std::logic_error("make_worker_options: " + program() + " has a client's options");
    }
    worker_options options;
    options.service = std::move(service);
    options.version = parser_.get<std::string>("version");
    options.brokers = brokers();
    const auto& common = parser_.common();
    options.redis = redis_of(common);
    options.redis_prefix = common.prefix;
    options.region = common.region;
    options.host = common.host;
    options.concurrency = parser_.get<int>("concurrency");
    if (options.concurrency < 1) {
        throw runtime::options_error("--concurrency must be at least 1 (got " +
                                     std::to_string(options.concurrency) + ")");
    }
    options.credit = parser_.get<std::uint32_t>("credit");
    options.heartbeat = millis_at_least(parser_, "heartbeat-ms", 1);
    options.lease = millis_at_least(parser_, "lease-ms", 100);
    options.drain_timeout = millis_at_least(parser_, "drain-ms", 0);
    options.instance_id = parser_.get<std::string>("instance-id");
    options.managed_by = parser_.get<std::string>("managed-by");
    options.metrics_listen = parser_.get<std::string>("metrics-listen");
    auto keys = curve_of(parser_);
    options.curve_public_key = std::move(keys.public_key);
    options.curve_secret_key = std::move(keys.secret_key);
    options.broker_key = std::move(keys.broker_key);
    return options;
}

client_options command_line::make_client_options(std::string name) const {
    client_options options;
    options.name = std::move(name);
    options.brokers = brokers();
    const auto& common = parser_.common();
    options.redis = redis_of(common);
    options.redis_prefix = common.prefix;
    options.region = common.region;
    auto keys = curve_of(parser_);
    options.curve_public_key = std::move(keys.public_key);
    options.curve_secret_key = std::move(keys.secret_key);
    options.broker_key = std::move(keys.broker_key);
    return options;
}

}  // namespace skynet
