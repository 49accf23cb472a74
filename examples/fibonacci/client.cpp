// fibonacci-client: asks the fibonacci service for fib(n) and prints it.
// Exit status: 0 with an answer, 2 for bad options, 10 + the error code
// otherwise (14 TIMEOUT, 12 UNKNOWN_SERVICE, ...), so scripts can tell why.
#include <iostream>
#include <memory>
#include <skynet/skynet.hpp>
#include <stdexcept>

int main(int argc, char** argv) {
    using namespace skynet;
    namespace po = runtime::po;
    command_line args(program_kind::client, "fibonacci-client",
                      "prints fib(n), asked of the fibonacci service");
    args.add()("n", po::value<std::int64_t>()->default_value(20), "which Fibonacci number")(
        "timeout-ms", po::value<int>()->default_value(10000), "time budget of the call")(
        "version", po::value<std::string>()->default_value(""), "only this version of the service");
    args.parse_or_exit(argc, argv);

    std::unique_ptr<client> made;
    try {
        made = std::make_unique<client>(args.make_client_options("fibonacci-client"));
    } catch (const runtime::options_error& e) {
        args.exit_with_error(e.what());
    } catch (const std::invalid_argument& e) {  // an option the client itself refused
        args.exit_with_error(e.what());
    }
    client& bus_client = *made;

    auto n = args.get<std::int64_t>("n");
    auto version = args.get<std::string>("version");
    call_options call;
    call.timeout = std::chrono::milliseconds(args.get<int>("timeout-ms"));
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
