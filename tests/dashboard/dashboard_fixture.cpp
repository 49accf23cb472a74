#include "dashboard_fixture.hpp"

#include <httplib.h>

#include <csignal>

#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {

void DashboardPageTest::SetUp() {
    if (!browser::available()) {
        GTEST_SKIP() << "needs " << browser::chromium_path << " and " << browser::chromedriver_path
                     << " (Debian packages chromium and chromium-driver; scripts/deps.sh)";
    }
    broker_ = std::make_unique<child_process>(
        "skynet-broker",
        std::vector<std::string>{"--bind", loopback_endpoint(free_port()), "--redis", redis_.url(),
                                 "--region", "eu", "--heartbeat-ms", "100", "--log-level", "warn"});
    port_ = free_port();
    start_dashboard();
    if (HasFatalFailure()) {
        return;  // no dashboard: nothing for a browser to show
    }
    browser_ = std::make_unique<browser>();
    browser_->open(url());
}

void DashboardPageTest::TearDown() {
    if (browser_) {
        screenshot("end");
    }
    browser_.reset();
}

child_process& DashboardPageTest::start_service(const std::string& binary,
                                                const std::string& region,
                                                std::vector<std::string> extra) {
    std::vector<std::string> args{"--redis",        redis_.url(), "--region",    region,
                                  "--heartbeat-ms", "100",        "--log-level", "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    services_.push_back(std::make_unique<child_process>(binary, std::move(args)));
    return *services_.back();
}

void DashboardPageTest::start_dashboard() {
    const auto listen = "127.0.0.1:" + std::to_string(port_);
    dashboard_ = std::make_unique<child_process>(
        "sky", std::vector<std::string>{"--redis", redis_.url(), "dashboard", "--listen", listen});
    httplib::Client http("127.0.0.1", port_);
    http.set_connection_timeout(std::chrono::seconds(2));
    bool up = false;
    eventually(
        [&] {
            auto reply = http.Get("/");
            up = reply && reply->status == 200;
            return up || !dashboard_->running();  // an exit is an answer too
        },
        page_limit);
    ASSERT_TRUE(up) << "sky dashboard did not answer on " << listen << ":\n"
                    << dashboard_->stderr_text();
}

void DashboardPageTest::kill_dashboard() {
    dashboard_->signal(SIGKILL);
    dashboard_->wait_exit(page_limit);
}

std::string DashboardPageTest::url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/";
}

std::vector<registry::instance> DashboardPageTest::find(const registry::query& q) {
    auto settings = registry::options_from_url(redis_.url());
    if (!settings) {
        return {};
    }
    auto connection = registry::connection::open(*settings);
    if (!connection) {
        return {};
    }
    auto found = connection->find(q);
    return found ? *found : std::vector<registry::instance>{};
}

std::vector<registry::instance> DashboardPageTest::workers_of(const std::string& service) {
    return find({.service = service, .kind = registry::instance_kind::worker});
}

std::vector<std::string> DashboardPageTest::shown_instances() {
    auto ids = browser_->run(
        "return [...document.querySelectorAll('#instances-table tbody tr[data-instance-id]')]"
        ".map((tr) => tr.dataset.instanceId);");
    return ids.get<std::vector<std::string>>();
}

bool DashboardPageTest::shows_instance(const std::string& id) {
    auto ids = shown_instances();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string DashboardPageTest::row_text(const std::string& id) {
    try {
        auto row = browser_->find("#instances-table tr[data-instance-id=\"" + id + "\"]");
        return row ? browser_->text(*row) : "";
    } catch (const webdriver_error& e) {
        if (e.code == "stale element reference") {
            return "";  // replaced between the two calls: the caller polls again
        }
        throw;
    }
}

bool DashboardPageTest::displayed(const std::string& css) {
    try {
        auto element = browser_->find(css);
        return element && browser_->displayed(*element);
    } catch (const webdriver_error& e) {
        if (e.code == "stale element reference") {
            return false;
        }
        throw;
    }
}

void DashboardPageTest::screenshot(const std::string& step) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string name =
        info ? std::string(info->test_suite_name()) + "." + info->name() : "test";
    try {
        browser_->screenshot(std::filesystem::path(SKYNET_TEST_ARTIFACTS) /
                             (name + "-" + step + ".png"));
    } catch (const std::exception& e) {
        ADD_FAILURE() << "screenshot " << step << ": " << e.what();
    }
}

}  // namespace skynet::testing
