#pragma once
// The dashboard's browser tests share this: a real cluster (redis-server, a
// broker, services registered in Redis with short heartbeats), the real
// `sky dashboard` on a free loopback port, and a headless Chromium on its
// page. Screenshots go to build/test-artifacts/dashboard/.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "skynet/registry/instance.hpp"
#include "skynet/registry/query.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"
#include "webdriver.hpp"

namespace skynet::testing {

// Waits on the page: a browser and a dashboard on a loaded 2-core machine.
inline constexpr std::chrono::milliseconds page_limit{30000};

class DashboardPageTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // A service binary on this cluster's broker, in region `region`.
    child_process& start_service(const std::string& binary, const std::string& region,
                                 std::vector<std::string> extra = {});
    // `sky dashboard` on port_ (the same port each time), ready to answer.
    void start_dashboard();
    void kill_dashboard();
    std::string url() const;

    // The registry's view, read fresh (empty on error).
    std::vector<registry::instance> find(const registry::query& q);
    std::vector<registry::instance> workers_of(const std::string& service);

    // The instance ids of the rows the instances table shows.
    std::vector<std::string> shown_instances();
    bool shows_instance(const std::string& id);
    // The text of the instances table's row of `id` ("" if absent).
    std::string row_text(const std::string& id);
    // Whether the element `css` exists and is displayed.
    bool displayed(const std::string& css);
    // A PNG of the page: <artifacts>/<Test>-<step>.png.
    void screenshot(const std::string& step);

    redis_server redis_;
    std::unique_ptr<child_process> broker_;
    std::vector<std::unique_ptr<child_process>> services_;
    int port_ = 0;
    std::unique_ptr<child_process> dashboard_;
    std::unique_ptr<browser> browser_;
};

}  // namespace skynet::testing
