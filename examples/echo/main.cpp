// echo-service: serves "echo" with a raw handler that sends back the frames it
// gets, so that plain 7/MDP clients can call it as well as ours.
#include <skynet/skynet.hpp>

int main(int argc, char** argv) {
    using namespace skynet;
    command_line args(program_kind::service, "echo-service",
                      "answers every request with its own frames", {.concurrency = 1});
    args.parse_or_exit(argc, argv);
    return run_service(args, "echo", [](worker& w) {
        // Copying the frames back costs nothing on the network thread.
        w.handle_raw(
            [](std::span<const zmq::message_t> body) {
                bus::frames reply;
                reply.reserve(body.size());
                for (const auto& frame : body) {
                    reply.emplace_back(frame.data(), frame.size());
                }
                return reply;
            },
            run_on::io_thread);
    });
}
