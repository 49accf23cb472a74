#include "bus_helpers.hpp"

#include <algorithm>

#include "echo_worker.hpp"
#include "eventually.hpp"

namespace skynet::testing {

worker_options fast_worker_options(const std::string& service, const std::string& broker,
                                   const std::string& version) {
    worker_options options;
    options.service = service;
    options.version = version;
    options.brokers = {broker};
    options.concurrency = 1;
    options.heartbeat = scaled(std::chrono::milliseconds(100));
    options.liveness = 3;
    options.drain_timeout = scaled(std::chrono::milliseconds(2000));
    return options;
}

client_options fast_client_options(const std::string& broker) {
    client_options options;
    options.brokers = {broker};
    options.name = "test";
    options.heartbeat = scaled(std::chrono::milliseconds(200));
    return options;
}

std::unique_ptr<worker> start_adder(const std::string& broker) {
    auto w = std::make_unique<worker>(fast_worker_options("adder", broker));
    w->handle("Add", [](const request& req) {
        bus::bson_doc result;
        result.add_int64("sum", req.params().get_int64("a").value_or(0) +
                                    req.params().get_int64("b").value_or(0));
        return result;
    });
    w->start();
    return w;
}

bool adder_works(client& c) {
    bus::bson_doc params;
    params.add_int64("a", 2).add_int64("b", 3);
    call_options options;
    options.timeout = std::chrono::seconds(5);
    auto outcome = c.call("adder", "Add", params.view(), options);
    return outcome.ok() && outcome->result().get_int64("sum") == 5;
}

std::string mmi_service(client& c, const std::string& service) {
    bus::frames body;
    body.emplace_back(service.data(), service.size());
    call_options options;
    options.timeout = std::chrono::milliseconds(2000);
    auto outcome = c.call_raw("mmi.service", std::move(body), options);
    if (!outcome || outcome->frames().empty()) {
        return "error";
    }
    return outcome->frames()[0].to_string();
}

bool wait_for_service(client& c, const std::string& service) {
    return eventually([&] { return mmi_service(c, service) == "200"; });
}

bool wait_for_no_service(client& c, const std::string& service) {
    return eventually([&] { return mmi_service(c, service) == "404"; });
}

void gate::open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
}

bool gate::wait(bus::time_point deadline) {
    // time_point::max() (no budget) would overflow inside wait_until.
    deadline = std::min(deadline, bus::clock::now() + std::chrono::minutes(1));
    std::unique_lock lock(mutex_);
    ++waiting_;
    bool opened = opened_.wait_until(lock, deadline, [&] { return open_; });
    --waiting_;
    return opened;
}

int gate::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
}

held_worker::held_worker(const std::string& broker, const std::string& service) {
    w = std::make_unique<worker>(fast_worker_options(service, broker));
    w->handle("Hold", [this](const request& req) {
        ++runs;
        release.wait(req.deadline() + std::chrono::seconds(5));
        return bus::bson_doc{};
    });
    handle_echo(*w, run_on::pool);
    w->handle("Fail", [](const request&) -> bus::bson_doc {
        throw std::runtime_error("the disk is on fire");
    });
    w->handle("Refuse", [](const request&) -> bus::bson_doc {
        throw service_failure(bus::errc::unauthorized, "not you");
    });
    w->start();
}

held_worker::~held_worker() {
    release.open();
}

}  // namespace skynet::testing
