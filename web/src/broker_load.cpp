// Each broker's mmi.service_stats, asked of all brokers at once
// (broker_load.hpp).
#include "broker_load.hpp"

#include <future>
#include <set>

#include "skynet/bus/mmi.hpp"
#include "skynet/bus/service_name.hpp"
#include "skynet/client/client.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::web {

namespace {

// The figures in one broker's answer; none if it is not "200" + a document.
std::vector<bus::mmi::service_figures> figures_in(const call_result& answer) {
    if (!answer || answer->frames().size() != 2 || answer->frames()[0].to_string() != "200") {
        return {};
    }
    auto doc = bus::bson_view::from_frame(answer->frames()[1]);
    if (!doc) {
        return {};
    }
    auto figures = bus::mmi::decode_service_figures(*doc);
    return figures ? std::move(*figures) : std::vector<bus::mmi::service_figures>{};
}

}  // namespace

broker_load_reader::broker_load_reader(std::chrono::milliseconds timeout) : timeout_(timeout) {}

broker_load_reader::~broker_load_reader() = default;

void broker_load_reader::follow(const std::vector<registry::instance>& brokers) {
    std::set<std::string> present;
    for (const auto& b : brokers) {
        present.insert(b.endpoint);
    }
    std::erase_if(clients_, [&](const auto& entry) { return !present.contains(entry.first); });
    for (const auto& endpoint : present) {
        if (endpoint.empty() || clients_.contains(endpoint)) {
            continue;
        }
        client_options options;
        options.name = "sky-dashboard";
        options.brokers = {endpoint};
        try {
            clients_.emplace(endpoint, std::make_unique<client>(std::move(options)));
        } catch (const std::exception& e) {
            // A record with an endpoint we cannot use: skip it, say so once.
            runtime::logger_for("dashboard")
                ->warn("broker endpoint {} unusable: {}", endpoint, e.what());
            clients_.emplace(endpoint, nullptr);
        }
    }
}

std::map<std::string, service_load> broker_load_reader::read(
    const std::vector<registry::instance>& brokers) {
    follow(brokers);
    call_options options;
    options.timeout = timeout_;
    std::vector<std::future<call_result>> answers;
    for (auto& [endpoint, bus_client] : clients_) {
        if (!bus_client) {
            continue;
        }
        auto promise = std::make_shared<std::promise<call_result>>();
        answers.push_back(promise->get_future());
        bus::frames body;
        body.push_back(bus::frame_of(""));
        bus_client->call_raw_async(bus::mmi::service_stats, std::move(body), options,
                                   [promise](call_result r) { promise->set_value(std::move(r)); });
    }
    std::map<std::string, service_load> loads;
    for (auto& answer : answers) {
        for (const auto& f : figures_in(answer.get())) {
            // A worker of "name@version" serves both names, so its broker
            // counts it under both: workers come from the bare name alone,
            // while each name has a queue of its own.
            const auto parts = bus::split_service_name(f.name);
            auto& load = loads[std::string(parts.name)];
            load.queued += f.queued;
            if (parts.version.empty()) {
                load.workers += f.workers;
                load.idle += f.idle;
                load.busy += f.busy;
            }
        }
    }
    return loads;
}

}  // namespace skynet::web
