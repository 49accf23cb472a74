// skynet::serve() without a command line: a broker and a worker in one
// process drain together on SIGTERM, and options it cannot use give status 2
// with one line naming them.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::size_t count_lines(const std::string& text, const std::string& line) {
    std::size_t n = 0;
    for (auto at = text.find(line + "\n"); at != std::string::npos;
         at = text.find(line + "\n", at + 1)) {
        ++n;
    }
    return n;
}

TEST(Serve, ABrokerAndAWorkerInOneProcessDrainTogether) {
    const auto release = std::filesystem::temp_directory_path() /
                         ("skynet-serve-release-" + std::to_string(::getpid()));
    std::filesystem::remove(release);
    const auto endpoint = loopback_endpoint(free_port());
    child_process both("service_child", {"both", endpoint, release.string()});
    client c(fast_client_options(endpoint));
    ASSERT_TRUE(wait_for_service(c, "holder")) << both.stderr_text();

    call_options options;
    options.timeout = 60s;
    const bson_doc nothing;
    auto first = c.call_future("holder", "Hold", nothing.view(), options);
    auto second = c.call_future("holder", "Hold", nothing.view(), options);
    ASSERT_TRUE(eventually([&] { return count_lines(both.stdout_text(), "holding") == 2; }));
    both.signal(SIGTERM);
    std::ofstream(release).put('\n');  // the handlers may finish now, while draining

    for (auto* pending : {&first, &second}) {
        auto outcome = pending->get();
        ASSERT_TRUE(outcome.ok()) << to_string(outcome.code()) << ": " << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_int64("held"), 1);
    }
    EXPECT_EQ(both.wait_exit(generous), 0) << both.stderr_text();
    std::filesystem::remove(release);
}

TEST(Serve, UnusableOptionsAreOneLineAndStatus2) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"bad-bind", "service_child: broker bind 127.0.0.1:5555: "},
        {"bad-broker", "service_child: worker_options.brokers 127.0.0.1:5555: "},
        {"bad-redis", "service_child: worker_options.redis: bad redis URL \"notaurl\""},
    };
    for (const auto& [mode, start] : cases) {
        auto run = run_program("service_child", {mode});
        EXPECT_EQ(run.status, 2) << mode << ": " << run.err;
        EXPECT_EQ(run.err.rfind(start, 0), 0u) << run.err;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    }
}

TEST(Serve, ASetupThatThrowsIsStatus1) {
    auto run = run_program("service_child", {"setup-throws"});
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("no database"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace skynet::testing
