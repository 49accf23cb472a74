// skyd's /metrics, from a real skyd process managing a real service: the
// service is up, a SIGKILL shows as a restart, and the host's figures are
// there.
#include <signal.h>

#include <regex>

#include "scrape.hpp"
#include "skyd_fixture.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// The address skyd logged ("metrics on http://127.0.0.1:PORT/metrics").
std::string metrics_address_of(child_process& skyd) {
    std::string address;
    eventually([&] {
        std::smatch m;
        const auto text = skyd.stderr_text() + skyd.stdout_text();
        static const std::regex logged("metrics on http://([0-9.]+:[0-9]+)/metrics");
        if (std::regex_search(text, m, logged)) {
            address = m[1];
        }
        return !address.empty();
    });
    return address;
}

std::int64_t pid_in(const nlohmann::json& row) {
    return row.is_number_integer() ? row.get<std::int64_t>() : 0;
}

TEST_F(SkydTest, MetricsShowServicesUpRestartsAndHostFigures) {
    start_skyd("h1", {"--metrics-listen", "127.0.0.1:0"});
    const auto address = metrics_address_of(skyd("h1"));
    ASSERT_FALSE(address.empty()) << skyd("h1").stderr_text();
    const auto id = deploy("h1", {bin("fibonacci-service")}).at(0);
    const std::string up = R"(skynet_skyd_up{service="fibonacci-service"})";
    const std::string restarts = R"(skynet_skyd_restarts_total{service="fibonacci-service"})";
    ASSERT_TRUE(eventually([&] { return scrape(address).value(up) == 1; }, 30s))
        << scrape(address).text;
    EXPECT_EQ(scrape(address).get(restarts), 0.0);

    const auto pid = pid_in(field(id, "pid"));
    ASSERT_GT(pid, 0);
    ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
    EXPECT_TRUE(eventually(
        [&] {
            const auto s = scrape(address);
            return s.value(restarts) >= 1 && s.value(up) == 1;
        },
        30s))
        << scrape(address).text;
    const auto s = scrape(address);
    EXPECT_EQ(s.get(R"(skynet_skyd_crash_looping{service="fibonacci-service"})"), 0.0);
    EXPECT_GT(s.value("skynet_host_memory_total_bytes"), 0);
    EXPECT_GT(s.value("skynet_host_uptime_seconds"), 0);
    EXPECT_TRUE(s.get("skynet_host_cpu_percent").has_value());
    EXPECT_TRUE(s.get("skynet_host_load1").has_value());
}

}  // namespace
}  // namespace skynet::testing
