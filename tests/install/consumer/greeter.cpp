// The greeter service, built from an installed Skynet only: serves "Hello"
// until it is killed. usage: greeter <broker endpoint>
#include <iostream>
#include <skynet/version.hpp>
#include <skynet/worker/worker.hpp>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: greeter <broker endpoint>\n";
        return 2;
    }
    skynet::worker_options options;
    options.service = "greeter";
    options.version = "1.0";
    options.brokers = {argv[1]};
    skynet::worker w(options);
    w.handle("Hello", [](const skynet::request&) {
        skynet::bson_doc result;
        result.add_string("greeting", std::string("hello from skynet ") + SKYNET_VERSION_STRING);
        return result;
    });
    w.run();
    return 0;
}
