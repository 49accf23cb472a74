// fibonacci-client: asks the fibonacci service for fib(n) and prints it.
// Exit status: 0 with an answer, 2 for bad options, 10 + the error code
// otherwise (14 TIMEOUT, 12 UNKNOWN_SERVICE, ...), so scripts can tell why.
#include "skynet/client/client.hpp"

#include <iostream>

#include "skynet/runtime/options.hpp"

int main(int argc, char** argv) {
    using namespace skynet;
    namespace po = runtime::po;
    runtime::option_parser parser("fibonacci-client",
                                  "prints fib(n), asked of the fibonacci service");
    parser.add()("broker", po::value<std::vector<std::string>>()->composing(),
                 "broker endpoint (repeat for several: failover); default tcp://127.0.0.1:5555, or "
                 "with --redis the brokers of --region found in the registry")(
        "n", po::value<std::int64_t>()->default_value(20), "which Fibonacci number")(
        "timeout-ms", po::value<int>()->default_value(10000), "time budget of the call")(
        "version", po::value<std::string>()->default_value(""), "only this version of the service");
    parser.parse_or_exit(argc, argv);

    client_options options;
    if (parser.has("broker")) {
        options.brokers = parser.get<std::vector<std::string>>("broker");
    } else if (parser.common().redis_given) {
        options.redis = parser.common().redis;
        options.redis_prefix = parser.common().prefix;
        options.region = parser.common().region;
    } else {
        options.brokers = {"tcp://127.0.0.1:5555"};
    }
    options.name = "fibonacci-client";
    client bus_client(options);

    auto n = parser.get<std::int64_t>("n");
    auto version = parser.get<std::string>("version");
    call_options call;
    call.timeout = std::chrono::milliseconds(parser.get<int>("timeout-ms"));
    call.idempotent = true;
    call.version = version;
    bus::bson_doc params;
    params.add_int64("n", n);
    auto outcome = bus_client.call("fibonacci", "Index", params.view(), call);
    if (!outcome) {
        std::cerr << "fibonacci-client: " << bus::to_string(outcome.code()) << ": "
                  << outcome.err().detail << "\n";
        return 10 + static_cast<int>(outcome.code());
    }
    auto value = outcome->result().get_int64("result");
    if (!value) {
        std::cerr << "fibonacci-client: the reply has no result: " << outcome->result().to_json()
                  << "\n";
        return 10 + static_cast<int>(bus::errc::service_error);
    }
    std::cout << "fibonacci(" << n << ") = " << *value << "\n";
    return 0;
}
