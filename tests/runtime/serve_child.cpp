// A process served by runtime::serve(), for serve_test.cpp:
//   serve_child worker BROKER RELEASE_FILE  a worker whose "Hold" answers {held: 1}
//                                          once RELEASE_FILE exists
//   serve_child starting BROKER GO_FILE    prints "building" while it builds,
//                                          and builds only once GO_FILE exists
//   serve_child both RELEASE_FILE          a broker and a worker in one process
//                                          on one context; prints the endpoint
// It waits on files, not on time: the test decides when things happen.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "skynet/broker/broker.hpp"
#include "skynet/runtime/serve.hpp"
#include "skynet/worker/worker.hpp"
#include "support/wait_for_file.hpp"

namespace {

using namespace skynet;
using namespace std::chrono_literals;

// 100 ms, stretched as the tests' own heartbeats are (support/eventually.hpp)
// for builds that run many times slower, such as ThreadSanitizer's.
std::chrono::milliseconds heartbeat() {
    const char* scale = std::getenv("SKYNET_TEST_TIME_SCALE");
    return 100ms * std::max(1, scale != nullptr ? std::atoi(scale) : 1);
}

using skynet::testing::wait_for_file;

std::shared_ptr<worker> make_holder(const std::string& broker, std::string release,
                                    std::shared_ptr<zmq::context_t> context = nullptr) {
    worker_options options;
    options.service = "holder";
    options.brokers = {broker};
    options.concurrency = 4;
    options.heartbeat = heartbeat();
    options.drain_timeout = 30s;
    options.context = std::move(context);
    auto w = std::make_shared<worker>(options);
    w->handle("Hold", [release](const request& req) {
        bus::bson_doc result;
        result.add_int64("held", wait_for_file(release, req.deadline()) ? 1 : 0);
        return result;
    });
    return w;
}

runtime::served_part part_of(std::shared_ptr<worker> w) {
    return {"worker", [w] { w->run(); }, [w] { w->stop(); }};
}

int serve_both(const std::string& release) {
    runtime::stop_signals signals;  // first: the broker's and worker's threads block them
    auto context = std::make_shared<zmq::context_t>(1);
    broker_options options;
    options.bind = "tcp://127.0.0.1:*";
    options.heartbeat = heartbeat();
    options.drain_timeout = 30s;
    options.context = context;
    broker b(options);
    std::printf("%s\n", b.endpoint().c_str());
    std::fflush(stdout);
    auto w = make_holder(b.endpoint(), release, context);
    return signals.serve(b, *w);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "worker" && argc == 4) {
        return runtime::serve([&] {
            return std::vector<runtime::served_part>{part_of(make_holder(argv[2], argv[3]))};
        });
    }
    if (mode == "starting" && argc == 4) {
        return runtime::serve([&] {
            std::printf("building\n");
            std::fflush(stdout);
            if (!wait_for_file(argv[3], bus::clock::now() + 60s)) {
                throw std::runtime_error("nobody said go");
            }
            return std::vector<runtime::served_part>{part_of(make_holder(argv[2], "/nonexistent"))};
        });
    }
    if (mode == "both" && argc == 3) {
        return serve_both(argv[2]);
    }
    std::fprintf(stderr, "usage: serve_child worker|starting BROKER FILE, or both FILE\n");
    return 2;
}
