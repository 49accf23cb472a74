#include "echo_worker.hpp"

#include "bus_helpers.hpp"

namespace skynet::testing {

void handle_echo(worker& w, run_on where) {
    w.handle(
        "Echo", [](const request& req) { return bus::bson_doc::copy_of(req.params()); }, where);
}

std::unique_ptr<worker> start_echo_worker(const worker_options& options, run_on where) {
    auto w = std::make_unique<worker>(options);
    handle_echo(*w, where);
    w->start();
    return w;
}

std::unique_ptr<worker> start_echo_worker(const std::string& broker, const std::string& service,
                                          std::uint32_t credit) {
    auto options = fast_worker_options(service, broker);
    options.credit = credit;
    return start_echo_worker(options);
}

std::unique_ptr<worker> start_raw_echo_worker(const std::string& broker,
                                              const std::string& service) {
    auto w = std::make_unique<worker>(fast_worker_options(service, broker));
    w->handle_raw([](std::span<const zmq::message_t> body) {
        bus::frames reply;
        for (const auto& f : body) {
            reply.emplace_back(f.data(), f.size());  // the caller's frame dies with the call
        }
        return reply;
    });
    w->start();
    return w;
}

}  // namespace skynet::testing
