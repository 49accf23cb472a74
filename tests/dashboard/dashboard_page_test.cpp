// The dashboard's page in a real browser (headless Chromium through
// chromedriver) against a real cluster and the real `sky dashboard`: what a
// user sees, read from the rendered page, never from the API.

#include <algorithm>
#include <csignal>
#include <functional>

#include "dashboard_fixture.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// The id of the one worker `find_workers` lists, once there is one (else "").
std::string wait_for_worker(const std::function<std::vector<registry::instance>()>& find_workers) {
    std::string id;
    eventually(
        [&] {
            auto found = find_workers();
            if (found.size() == 1) {
                id = found.front().id;
            }
            return !id.empty();
        },
        page_limit);
    return id;
}

}  // namespace

TEST_F(DashboardPageTest, AnInstanceAppears) {
    start_service("echo-service", "eu", {"--version", "1.2"});
    auto id = wait_for_worker([&] { return workers_of("echo"); });
    ASSERT_FALSE(id.empty()) << "echo-service did not register";

    ASSERT_TRUE(eventually([&] { return shows_instance(id); }, page_limit));
    EXPECT_TRUE(eventually(
        [&] {
            auto text = row_text(id);
            return text.find("echo") != std::string::npos &&
                   text.find("1.2") != std::string::npos &&
                   text.find("registered") != std::string::npos;
        },
        page_limit))
        << row_text(id);
    // The topology and the services table show it too.
    EXPECT_TRUE(eventually([&] { return displayed("[data-topology-instance-id=\"" + id + "\"]"); },
                           page_limit));
    EXPECT_TRUE(eventually([&] { return displayed("#services-table tr[data-service=\"echo\"]"); },
                           page_limit));
    screenshot("instance");
}

TEST_F(DashboardPageTest, AKilledWorkerDisappearsWithoutAReload) {
    auto& doomed = start_service("echo-service", "eu");
    start_service("sleeper-service", "eu");
    auto doomed_id = wait_for_worker([&] { return workers_of("echo"); });
    auto other_id = wait_for_worker([&] { return workers_of("sleeper"); });
    ASSERT_FALSE(doomed_id.empty() || other_id.empty());
    ASSERT_TRUE(eventually([&] { return shows_instance(doomed_id) && shows_instance(other_id); },
                           page_limit));
    // A mark in the page's JavaScript: a reload would lose it.
    browser_->run("window.skynet_test_mark = 'still here';");
    screenshot("before");

    doomed.signal(SIGKILL);
    EXPECT_TRUE(eventually([&] { return !shows_instance(doomed_id); }, page_limit))
        << "the killed worker's row is still shown";
    EXPECT_TRUE(shows_instance(other_id));
    EXPECT_EQ(browser_->run("return window.skynet_test_mark ?? null;"), "still here");
    EXPECT_FALSE(displayed("[data-topology-instance-id=\"" + doomed_id + "\"]"));
    screenshot("after");
}

TEST_F(DashboardPageTest, TheSearchBoxFilters) {
    start_service("echo-service", "eu");
    start_service("sleeper-service", "eu");
    auto echo_id = wait_for_worker([&] { return workers_of("echo"); });
    auto sleeper_id = wait_for_worker([&] { return workers_of("sleeper"); });
    ASSERT_FALSE(echo_id.empty() || sleeper_id.empty());
    ASSERT_TRUE(eventually([&] { return shows_instance(echo_id) && shows_instance(sleeper_id); },
                           page_limit));

    auto search = browser_->find("#search");
    ASSERT_TRUE(search);
    browser_->type(*search, "sleeper");
    EXPECT_TRUE(eventually(
        [&] { return shown_instances() == std::vector<std::string>{sleeper_id}; }, page_limit));
    EXPECT_FALSE(displayed("#services-table tr[data-service=\"echo\"]"));
    screenshot("filtered");

    browser_->clear(*search);
    browser_->type(*search, "eu");  // the region: both
    EXPECT_TRUE(eventually([&] { return shows_instance(echo_id) && shows_instance(sleeper_id); },
                           page_limit));
    browser_->clear(*search);
    browser_->type(*search, "no-such-service");
    EXPECT_TRUE(eventually([&] { return shown_instances().empty(); }, page_limit));
}

TEST_F(DashboardPageTest, TheDisconnectedBannerShowsAndGoesAwayOnResync) {
    start_service("echo-service", "eu");
    auto echo_id = wait_for_worker([&] { return workers_of("echo"); });
    ASSERT_FALSE(echo_id.empty());
    ASSERT_TRUE(eventually([&] { return shows_instance(echo_id); }, page_limit));
    EXPECT_FALSE(displayed("#banner-disconnected"));

    kill_dashboard();
    EXPECT_TRUE(eventually([&] { return displayed("#banner-disconnected"); }, page_limit))
        << "no disconnected banner after the dashboard died";
    screenshot("disconnected");

    // What changes while the page is cut off reaches it after the resync.
    start_service("sleeper-service", "eu");
    auto sleeper_id = wait_for_worker([&] { return workers_of("sleeper"); });
    ASSERT_FALSE(sleeper_id.empty());
    ASSERT_NO_FATAL_FAILURE(start_dashboard());
    EXPECT_TRUE(eventually([&] { return !displayed("#banner-disconnected"); }, page_limit))
        << "the banner stayed after the dashboard came back";
    EXPECT_TRUE(eventually([&] { return shows_instance(sleeper_id) && shows_instance(echo_id); },
                           page_limit));
    screenshot("resynced");
}

TEST_F(DashboardPageTest, AnUnregisterActionTakesEffect) {
    start_service("echo-service", "eu");
    auto id = wait_for_worker([&] { return workers_of("echo"); });
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(eventually([&] { return shows_instance(id); }, page_limit));

    const auto button =
        "#instances-table tr[data-instance-id=\"" + id + "\"] button[data-action=\"unregister\"]";
    ASSERT_TRUE(eventually(
        [&] {
            try {
                auto element = browser_->find(button);
                if (element) {
                    browser_->click(*element);
                }
                return element.has_value();
            } catch (const webdriver_error&) {
                return false;  // replaced under us: find it again
            }
        },
        page_limit));
    std::optional<std::string> question;
    ASSERT_TRUE(
        eventually([&] { return (question = browser_->alert_text()).has_value(); }, page_limit))
        << "no confirmation asked";
    EXPECT_NE(question->find(id), std::string::npos) << *question;
    browser_->accept_alert();

    EXPECT_TRUE(eventually(
        [&] {
            auto found = workers_of("echo");
            return found.size() == 1 && !found.front().registered;
        },
        page_limit))
        << "the registry still has it registered";
    EXPECT_TRUE(eventually([&] { return row_text(id).find("unregistered") != std::string::npos; },
                           page_limit))
        << row_text(id);
    EXPECT_TRUE(
        eventually([&] { return displayed("#action-results li[data-ok=\"true\"]"); }, page_limit));
    screenshot("unregistered");
}

TEST_F(DashboardPageTest, RedisGoingAwayShowsABannerNotAnEmptyCluster) {
    start_service("echo-service", "eu");
    auto id = wait_for_worker([&] { return workers_of("echo"); });
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(eventually([&] { return shows_instance(id); }, page_limit));
    EXPECT_FALSE(displayed("#banner-redis"));

    redis_.stop();
    EXPECT_TRUE(eventually([&] { return displayed("#banner-redis"); }, page_limit))
        << "no Redis banner with Redis stopped";
    EXPECT_TRUE(shows_instance(id)) << "the page emptied the cluster instead";
    screenshot("redis-down");

    redis_.start();
    EXPECT_TRUE(eventually([&] { return !displayed("#banner-redis"); }, page_limit))
        << "the Redis banner stayed after Redis came back";
}

// The brokers table shows the load a broker publishes in its record (what
// discovering clients weigh it by): six calls to a one-at-a-time sleeper, by
// six `sky call`s, are one in flight and five queued.
TEST_F(DashboardPageTest, TheBrokersTableShowsEachBrokersLoad) {
    start_service("sleeper-service", "eu", {"--concurrency", "1"});
    ASSERT_FALSE(wait_for_worker([&] { return workers_of("sleeper"); }).empty());
    const auto brokers = find({.kind = registry::instance_kind::broker});
    ASSERT_EQ(brokers.size(), 1u);
    const auto row = "#brokers-table tr[data-broker-id=\"" + brokers.front().id + "\"]";
    ASSERT_TRUE(eventually([&] { return displayed(row); }, page_limit));
    auto row_says = [&](const std::string& words) {
        try {
            auto found = browser_->find(row);
            return found && browser_->text(*found).find(words) != std::string::npos;
        } catch (const webdriver_error& e) {
            if (e.code == "stale element reference") {
                return false;  // redrawn between the two calls: look again
            }
            throw;
        }
    };
    EXPECT_TRUE(eventually([&] { return row_says("0 queued"); }, page_limit));

    std::vector<std::unique_ptr<child_process>> callers;
    for (int i = 0; i < 6; ++i) {
        callers.push_back(std::make_unique<child_process>(
            "sky", std::vector<std::string>{"--redis", redis_.url(), "--timeout", "120s", "call",
                                            "sleeper", "Sleep", R"({"ms": 120000})"}));
    }
    EXPECT_TRUE(
        eventually([&] { return row_says("5 queued") && row_says("1 in flight"); }, page_limit))
        << "the broker's row: "
        << (browser_->find(row) ? browser_->text(*browser_->find(row)) : "(none)");
    screenshot("broker-load");
}

}  // namespace skynet::testing
