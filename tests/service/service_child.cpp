// A process served by skynet::serve(), for serve_test.cpp to signal:
//   service_child both ENDPOINT RELEASE_FILE  a broker bound to ENDPOINT and a
//       worker of "holder" on it; "Hold" prints "holding" and answers {held: 1}
//       once RELEASE_FILE exists
//   service_child bad-bind | bad-broker | bad-redis | setup-throws   serve() refusing to start
// It waits on files, not on time: the test decides when things happen.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <skynet/skynet.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/wait_for_file.hpp"

namespace {

using namespace skynet;
using namespace std::chrono_literals;

using skynet::testing::wait_for_file;

worker_options holder_options() {
    worker_options options;
    options.service = "holder";
    options.heartbeat = 100ms;
    options.drain_timeout = 60s;
    return options;
}

int serve_both(const std::string& endpoint, const std::string& release) {
    broker_options broker;
    broker.bind = endpoint;
    broker.heartbeat = 100ms;
    broker.drain_timeout = 60s;
    return serve(std::move(broker), holder_options(), [release](worker& w) {
        w.handle("Hold", [release](const request& req) {
            std::printf("holding\n");
            std::fflush(stdout);
            bson_doc result;
            result.add_int64("held", wait_for_file(release, req.deadline()) ? 1 : 0);
            return result;
        });
    });
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "both" && argc == 4) {
        return serve_both(argv[2], argv[3]);
    }
    if (mode == "bad-bind") {
        broker_options broker;
        broker.bind = "127.0.0.1:5555";
        return serve(std::move(broker), holder_options(), [](worker&) {});
    }
    if (mode == "bad-broker") {
        auto options = holder_options();
        options.brokers = {"127.0.0.1:5555"};
        return serve(std::move(options), [](worker&) {});
    }
    if (mode == "bad-redis") {
        auto options = holder_options();
        options.redis = "notaurl";
        return serve(std::move(options), [](worker&) {});
    }
    if (mode == "setup-throws") {
        auto options = holder_options();
        options.brokers = {"tcp://127.0.0.1:1"};
        return serve(std::move(options), [](worker&) { throw std::runtime_error("no database"); });
    }
    std::fprintf(stderr,
                 "usage: service_child both ENDPOINT FILE | bad-bind | bad-broker | bad-redis | "
                 "setup-throws\n");
    return 64;
}
