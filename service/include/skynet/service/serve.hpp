#pragma once
// Serving a service until SIGTERM or SIGINT, then draining it: the calls in
// flight end with their replies, none with WORKER_LOST.
//
//     int main(int argc, char** argv) {
//         return skynet::run_service(argc, argv, "greeter", [](skynet::worker& w) {
//             w.handle("Hello", hello);
//         });
//     }
//
// Each blocks SIGINT and SIGTERM before it starts any thread, so that a
// signal that comes during start-up (before the worker has even connected)
// stops the service as soon as it runs, rather than being lost or killing
// the process. Call one from main()'s thread, once, before starting threads
// of your own: those would not block the signals.
//
// Every one returns the process's exit status:
//   0  stopped by SIGTERM or SIGINT, drained (or --help printed)
//   1  `setup` threw, or the worker or broker failed while serving (logged)
//   2  unusable options: one line on stderr naming the option and its value
//      ("greeter: --broker 127.0.0.1:5555: not an endpoint: ...")

#include <functional>
#include <string>

#include "skynet/broker/broker.hpp"
#include "skynet/service/command_line.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet {

// Registers the service's handlers on its worker before it starts. What the
// handlers need (a client, a database) they capture by value or
// shared_ptr: `setup` returns before they run, and they run until the
// worker has drained. Runs on the calling thread.
using service_setup = std::function<void(worker&)>;

// main() of a service in one call: reads the standard options (a service's
// command_line: --broker, --redis, --region, --version, --concurrency, ...,
// SKYNET_* variables and --config), builds the worker of `service`, lets
// `setup` register its handlers, and serves until SIGTERM or SIGINT.
int run_service(int argc, const char* const* argv, std::string service, const service_setup& setup);

// The same with a command line the program made and parsed itself (its own
// options, other defaults). `args` must be of program_kind::service.
int run_service(const command_line& args, std::string service, const service_setup& setup);

// For a program that fills in worker_options itself: builds the worker,
// lets `setup` register its handlers, and serves until SIGTERM or SIGINT.
int serve(worker_options options, const service_setup& setup);

// The same with a broker in this process: bound to `broker.bind` before the
// worker starts (a bind that fails is status 2 for a malformed endpoint, 1
// otherwise), sharing one ZeroMQ context with the worker, which serves on it
// beside `options.brokers`. On a signal both drain at once.
int serve(broker_options broker, worker_options options, const service_setup& setup);

}  // namespace skynet
