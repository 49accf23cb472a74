// `sky dashboard` as a process: it prints its address, serves the API, and
// ends cleanly on SIGTERM; a bad --listen is a usage error.

#include <csignal>
#include <regex>

#include "web_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(WebTest, SkyDashboardPrintsItsAddressServesAndStopsOnSigterm) {
    child_process sky("sky", {"--redis", redis_.url(), "dashboard", "--listen", "127.0.0.1:0",
                              "--max-streams", "2"});
    int port = 0;
    ASSERT_TRUE(eventually([&] {
        std::smatch m;
        const auto out = sky.stdout_text();
        if (std::regex_search(out, m, std::regex("dashboard: http://127\\.0\\.0\\.1:(\\d+)/"))) {
            port = std::stoi(m[1]);
        }
        return port > 0 || !sky.running();
    }));
    ASSERT_GT(port, 0) << sky.stderr_text();
    httplib::Client c("127.0.0.1", port);
    EXPECT_TRUE(eventually([&] {
        auto res = c.Get("/api/instances?kind=broker");
        return res && res->status == 200 &&
               res->body.find("\"kind\":\"broker\"") != std::string::npos;
    }));
    auto page = c.Get("/");
    ASSERT_TRUE(page);
    EXPECT_NE(page->body.find("Skynet dashboard"), std::string::npos);
    sky.signal(SIGTERM);
    EXPECT_EQ(sky.wait_exit(15s), 0);
}

TEST_F(WebTest, SkyDashboardRefusesABadListenAddress) {
    auto r = run_program("sky", {"--redis", redis_.url(), "dashboard", "--listen", "nowhere"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("--listen"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace skynet::testing
