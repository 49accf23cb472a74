#pragma once
// What the dashboard tests share: a real redis-server, a real skynet-broker
// registered in it (region "r"), workers started as real processes with
// short leases, and the dashboard server embedded on a free loopback port.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "skynet/registry/connection.hpp"
#include "skynet/web/dashboard_server.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {

class WebTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // The options the dashboard starts with; tests may change them first.
    web::dashboard_options dashboard_options() const;
    void start_dashboard(web::dashboard_options options);
    int port() const { return dashboard_->port(); }
    httplib::Client http() const;
    // GET `path`: its status and JSON body (null if not JSON).
    std::pair<int, nlohmann::json> get(const std::string& path) const;
    std::pair<int, nlohmann::json> post(const std::string& path, const std::string& body) const;

    // A sleeper-service on our broker's region, lease `lease_ms`.
    std::unique_ptr<child_process> start_worker(const std::string& lease_ms = "1000");
    // The id of the only live worker of `service`, once the dashboard lists it.
    std::string wait_for_worker(const std::string& service);

    registry::options registry_options() const;

    redis_server redis_;
    std::string broker_endpoint_;
    std::unique_ptr<child_process> broker_;
    std::unique_ptr<web::dashboard_server> dashboard_;
};

}  // namespace skynet::testing
