// skyd's events reach the dashboard: a real skyd publishes on
// `<prefix>daemon-events`, and a managed worker killed with SIGKILL shows
// as `log` events (exited, restarting) and as restarts on its instance.

#include <csignal>
#include <filesystem>

#include "skynet/registry/commands.hpp"
#include "skynet/sky/daemon_protocol.hpp"
#include "sse_reader.hpp"
#include "web_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class WebSkydTest : public WebTest {
protected:
    void TearDown() override {
        if (skyd_) {
            skyd_->signal(SIGTERM);  // it stops what it runs, then exits
            skyd_->wait_exit(20s);
        }
        WebTest::TearDown();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    void start_skyd() {
        dir_ = std::filesystem::temp_directory_path() /
               ("web-skyd-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        skyd_ = std::make_unique<child_process>(
            "skyd",
            std::vector<std::string>{"--redis", redis_.url(), "--region", "r", "--host", "h1",
                                     "--state-dir", (dir_ / "state").string(), "--log-dir",
                                     (dir_ / "logs").string(), "--restart-delay-ms", "100",
                                     "--restart-max-ms", "400", "--log-level", "warn"});
    }

    // Deploys sleeper-service on h1 through skyd's deploy command; its id.
    std::string deploy_sleeper() {
        daemon::process_spec spec;
        spec.argv = {(bin_dir() / "sleeper-service").string(), "--heartbeat-ms", "250",
                     "--lease-ms", "1000"};
        const std::vector<std::string> daemons{"skyd-h1"};
        std::vector<std::string> ids;
        EXPECT_TRUE(eventually([&] {
            auto sent = registry::send_command(registry_options(), daemons, "deploy",
                                               sky::deploy_argument(spec), 3s);
            if (!sent || sent->front().status != registry::command_status::acted) {
                return false;
            }
            auto answer = sky::parse_deploy_answer(sent->front().detail);
            ids = answer ? *answer : std::vector<std::string>{};
            return !ids.empty();
        })) << "skyd never took the deploy";
        return ids.empty() ? std::string() : ids.front();
    }

    std::filesystem::path dir_;
    std::unique_ptr<child_process> skyd_;
};

TEST_F(WebSkydTest, AManagedWorkerKilledShowsAsRestartEventsAndRestarts) {
    start_dashboard(dashboard_options());
    start_skyd();
    sse_reader stream(port());
    ASSERT_TRUE(stream.wait_for([](const sse_event& e) { return e.event == "snapshot"; }));
    const auto id = deploy_sleeper();
    ASSERT_FALSE(id.empty());
    std::int64_t pid = 0;
    ASSERT_TRUE(eventually([&] {
        auto [status, list] = get("/api/instances?kind=worker");
        for (const auto& r : list) {
            if (r["id"] == id && r["process_state"] == "running") {
                pid = r["pid"].get<std::int64_t>();
            }
        }
        return pid > 0;
    })) << "the managed worker never showed as running";

    const auto mark = stream.events().size();
    ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
    auto restart = stream.wait_for(
        [&](const sse_event& e) {
            const auto j = e.json();
            return e.event == "log" && j["id"] == id && j["kind"] == "restarting";
        },
        mark);
    ASSERT_TRUE(restart) << "no skyd restart event for " << id;
    const auto entry = stream.events()[*restart].json();
    EXPECT_EQ(entry["host"], "h1");
    EXPECT_EQ(entry["service"], "sleeper-service");
    EXPECT_TRUE(eventually([&] {
        auto [status, list] = get("/api/instances?kind=worker");
        for (const auto& r : list) {
            if (r["id"] == id && r["restarts"].is_number() && r["restarts"].get<int>() >= 1) {
                return true;
            }
        }
        return false;
    })) << "the instance never showed its restart";
}

TEST_F(WebSkydTest, LogsStreamAManagedServicesOutputThroughItsDaemon) {
    start_dashboard(dashboard_options());
    start_skyd();
    const auto id = deploy_sleeper();
    ASSERT_FALSE(id.empty());
    // The daemons' listing is polled; the logs endpoint asks them itself.
    sse_reader logs(port(), "/api/logs?service=sleeper-service&tail=20");
    auto line = logs.wait_for([&](const sse_event& e) {
        const auto j = e.json();
        return e.event == "line" && j["id"] == id && j["host"] == "h1" && j["line"].is_string();
    });
    EXPECT_TRUE(line) << "status " << logs.status() << " " << logs.error_body();

    auto [status, reply] = get("/api/logs?service=sleeper-service&grep=(");
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(reply.contains("error"));
    auto [s2, none] = get("/api/logs?service=nothing-here");
    EXPECT_EQ(s2, 404);
}

}  // namespace
}  // namespace skynet::testing
