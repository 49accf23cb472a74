// greeter-service: answers "Hello" with a greeting, until SIGTERM or Ctrl-C.
#include <skynet/skynet.hpp>

#include "greeting.hpp"

int main(int argc, char** argv) {
    return skynet::run_service(argc, argv, "greeter", [](skynet::worker& w) {
        w.handle("Hello", [](const hello& in) {
            if (in.times < 1 || in.times > 10) {
                throw skynet::service_failure(skynet::errc::bad_request, "times: 1 to 10");
            }
            greeting out;
            for (int i = 0; i < in.times; ++i) {
                out.text += (i == 0 ? "hello " : ", hello ") + in.name;
            }
            return out;
        });
    });
}
