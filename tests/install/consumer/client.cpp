// Calls greeter.Hello once and prints the reply's JSON; exit status 1 with
// the error code on a failed call. usage: greeter-client <broker endpoint>
#include <chrono>
#include <iostream>
#include <skynet/client/client.hpp>
#include <skynet/version.hpp>

static_assert(SKYNET_VERSION >= SKYNET_VERSION_OF(0, 1, 0));

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: greeter-client <broker endpoint>\n";
        return 2;
    }
    skynet::client c({.brokers = {argv[1]}});
    skynet::call_options options;
    options.timeout = std::chrono::seconds(20);
    skynet::bson_doc params;
    auto outcome = c.call("greeter", "Hello", params.view(), options);
    if (!outcome) {
        std::cerr << to_string(outcome.code()) << ": " << outcome.err().detail << "\n";
        return 1;
    }
    std::cout << outcome->result().to_json() << " (client built with " << skynet::version()
              << ")\n";
    return 0;
}
