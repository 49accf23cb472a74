// The README's "Writing a service" as a user builds it: the snippet is the
// file the suite compiles, and that program drains on SIGTERM, survives a
// signal during start-up, and turns a bad --broker into one line and exit 2.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::string read_text(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// The first ```cpp block after the heading, without its fences; empty if
// there is none.
std::string code_block_after(const std::string& markdown, const std::string& heading) {
    const auto section = markdown.find("\n" + heading + "\n");
    const std::string fence = "```cpp\n";
    const auto open = section == std::string::npos ? section : markdown.find(fence, section);
    const auto close = open == std::string::npos ? open : markdown.find("\n```\n", open);
    if (close == std::string::npos) {
        return {};
    }
    return markdown.substr(open + fence.size(), close + 1 - open - fence.size());
}

std::unique_ptr<child_process> start_greeter(const std::string& broker) {
    const auto heartbeat = std::to_string(scaled(100ms).count());
    return std::make_unique<child_process>(
        "readme-service", std::vector<std::string>{"--broker", broker, "--heartbeat-ms", heartbeat,
                                                   "--log-level", "warn"});
}

// True once `pid`'s main thread blocks SIGTERM: run_service has begun, so a
// signal from now on is one the program itself must handle.
bool blocks_sigterm(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("SigBlk:", 0) == 0) {
            const auto mask = std::stoull(line.substr(7), nullptr, 16);
            return (mask & (1ull << (SIGTERM - 1))) != 0;
        }
    }
    return false;
}

TEST(ReadmeService, TheReadmeSnippetIsTheProgramTheSuiteBuilds) {
    const std::filesystem::path root = SKYNET_SOURCE_DIR;
    const auto snippet = code_block_after(read_text(root / "README.md"), "## Writing a service");
    ASSERT_FALSE(snippet.empty()) << "README.md has no ```cpp block under ## Writing a service";
    EXPECT_EQ(snippet, read_text(root / "tests/service/readme_service.cpp"));
}

TEST(ReadmeService, SigtermDuringFourCallsInFlightEndsAllFourOk) {
    running_broker broker;
    auto greeter = start_greeter(broker.endpoint());
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "greeter"));

    std::vector<std::future<call_result>> pending;
    for (int i = 0; i < 4; ++i) {
        bson_doc params;
        params.add_string("name", "caller " + std::to_string(i));
        call_options options;
        options.timeout = 60s;
        pending.push_back(c.call_future("greeter", "Hello", params.view(), options));
    }
    // All four handed to the worker (maybe not yet read by it): none may be lost.
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 4; }));
    greeter->signal(SIGTERM);

    for (int i = 0; i < 4; ++i) {
        auto outcome = pending[i].get();
        ASSERT_TRUE(outcome.ok()) << i << ": " << to_string(outcome.code()) << ": "
                                  << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_string("greeting"), "hello caller " + std::to_string(i));
    }
    EXPECT_EQ(greeter->wait_exit(generous), 0) << greeter->stderr_text();
    // It said DISCONNECT rather than going silent.
    EXPECT_TRUE(wait_for_no_service(c, "greeter"));
    EXPECT_EQ(broker.stats().workers_lost, 0u);
}

// Nobody listens on the port: the worker never connects, and SIGTERM comes
// while it tries, at a different moment of start-up each round.
TEST(ReadmeService, SigtermDuringStartUpExitsZero) {
    const auto nobody = loopback_endpoint(free_port());
    for (int round = 0; round < 5; ++round) {
        auto greeter = start_greeter(nobody);
        ASSERT_TRUE(
            eventually([&] { return blocks_sigterm(greeter->pid()) || !greeter->running(); }));
        greeter->signal(SIGTERM);
        EXPECT_EQ(greeter->wait_exit(generous), 0)
            << "round " << round << ": " << greeter->stderr_text();
    }
}

TEST(ReadmeService, ABadBrokerOrRegistryIsOneLineNamingItAndStatus2) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--broker", "127.0.0.1:5555"}, "readme-service: --broker 127.0.0.1:5555: "},
        {{"--redis", "127.0.0.1:6379"},
         "readme-service: --redis: bad redis URL \"127.0.0.1:6379\""},
    };
    for (const auto& [args, start] : cases) {
        auto run = run_program("readme-service", args);
        EXPECT_EQ(run.status, 2) << run.err;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
        EXPECT_EQ(run.err.rfind(start, 0), 0u) << run.err;
        EXPECT_EQ(run.out, "");
    }
}

}  // namespace
}  // namespace skynet::testing
