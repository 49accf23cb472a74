// greeter-client: asks the greeter to greet someone, and prints the greeting.
#include <iostream>
#include <skynet/skynet.hpp>

#include "greeting.hpp"

int main(int argc, char** argv) {
    skynet::command_line args(skynet::program_kind::client, "greeter-client", "greets someone");
    args.add()("name", skynet::runtime::po::value<std::string>()->default_value("world"),
               "who to greet");
    args.parse_or_exit(argc, argv);

    skynet::client bus(args.make_client_options("greeter-client"));
    auto answer = bus.call<greeting>("greeter", "Hello", hello{args.get<std::string>("name")},
                                     {.timeout = std::chrono::seconds(2)});
    if (!answer) {
        std::cerr << skynet::to_string(answer.code()) << ": " << answer.err().detail << "\n";
        return 1;
    }
    std::cout << answer->text << "\n";
    return 0;
}
