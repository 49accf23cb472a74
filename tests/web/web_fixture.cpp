#include "web_fixture.hpp"

namespace skynet::testing {

using namespace std::chrono_literals;
using nlohmann::json;

void WebTest::SetUp() {
    broker_endpoint_ = loopback_endpoint(free_port());
    broker_ = std::make_unique<child_process>(
        "skynet-broker",
        std::vector<std::string>{"--bind", broker_endpoint_, "--redis", redis_.url(), "--region",
                                 "r", "--heartbeat-ms", "250", "--log-level", "warn"});
    ASSERT_TRUE(eventually([&] {
        auto c = registry::connection::open(registry_options());
        auto found = c ? c->find({.kind = registry::instance_kind::broker})
                       : bus::result<std::vector<registry::instance>>{bus::error{}};
        return found && !found->empty();
    })) << "the broker did not register";
}

void WebTest::TearDown() {
    dashboard_.reset();
    broker_.reset();
}

web::dashboard_options WebTest::dashboard_options() const {
    web::dashboard_options o;
    o.listen = "127.0.0.1:0";
    o.registry = registry_options();
    o.max_streams = 3;
    o.figures_interval = 250ms;
    o.daemons_interval = 500ms;
    o.ping_interval = 500ms;
    return o;
}

void WebTest::start_dashboard(web::dashboard_options options) {
    dashboard_ = std::make_unique<web::dashboard_server>(std::move(options));
    dashboard_->start();
    ASSERT_TRUE(eventually([&] { return get("/api/services").first == 200; }));
}

httplib::Client WebTest::http() const {
    httplib::Client c("127.0.0.1", port());
    c.set_read_timeout(10s);
    return c;
}

std::pair<int, json> WebTest::get(const std::string& path) const {
    auto c = http();
    auto res = c.Get(path.c_str());
    if (!res) {
        return {-1, json()};
    }
    return {res->status, json::parse(res->body, nullptr, false)};
}

std::pair<int, json> WebTest::post(const std::string& path, const std::string& body) const {
    auto c = http();
    auto res = c.Post(path.c_str(), body, "application/json");
    if (!res) {
        return {-1, json()};
    }
    return {res->status, json::parse(res->body, nullptr, false)};
}

std::unique_ptr<child_process> WebTest::start_worker(const std::string& lease_ms) {
    return std::make_unique<child_process>(
        "sleeper-service",
        std::vector<std::string>{"--redis", redis_.url(), "--region", "r", "--heartbeat-ms", "250",
                                 "--lease-ms", lease_ms, "--log-level", "warn"});
}

std::string WebTest::wait_for_worker(const std::string& service) {
    std::string id;
    EXPECT_TRUE(eventually([&] {
        auto [status, list] = get("/api/instances?kind=worker&service=" + service);
        if (status != 200 || !list.is_array() || list.size() != 1) {
            return false;
        }
        id = list[0].value("id", "");
        return true;
    })) << "the dashboard never listed one "
        << service;
    return id;
}

registry::options WebTest::registry_options() const {
    return registry::options_from_url(redis_.url()).value();
}

}  // namespace skynet::testing
