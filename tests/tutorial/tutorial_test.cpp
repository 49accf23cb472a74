// docs/tutorial.md as a reader follows it: every file it shows is the file
// the suite builds (examples/tutorial/), and the greeter it builds answers
// through one broker, through the registry, from another region, and to sky.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <optional>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/doc_blocks.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(Tutorial, ShowsEveryFileOfItsProjectAsItIs) {
    const fs::path root = SKYNET_SOURCE_DIR;
    const auto shown = shown_files(read_text(root / "docs/tutorial.md"));
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(root / "examples/tutorial")) {
        const auto path = "examples/tutorial/" + entry.path().filename().string();
        ++files;
        const auto found = shown.find(path);
        ASSERT_NE(found, shown.end()) << "docs/tutorial.md does not show " << path;
        EXPECT_EQ(found->second, read_text(entry.path())) << path << " differs from the tutorial";
    }
    EXPECT_EQ(shown.size(), files) << "the tutorial shows a file examples/tutorial/ lacks";
}

const std::string heartbeat = std::to_string(scaled(100ms).count());

std::unique_ptr<child_process> start_greeter(std::vector<std::string> args) {
    args.insert(args.end(), {"--heartbeat-ms", heartbeat, "--log-level", "warn"});
    return std::make_unique<child_process>("tutorial-greeter-service", std::move(args));
}

run_result greet(std::vector<std::string> args) {
    return run_program((bin_dir() / "tutorial-greeter-client").string(), std::move(args), 60s);
}

TEST(Tutorial, TheGreeterAnswersThroughOneBroker) {
    running_broker broker;
    auto greeter = start_greeter({"--broker", broker.endpoint()});
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "greeter")) << greeter->stderr_text();

    auto run = greet({"--broker", broker.endpoint(), "--name", "Ada"});
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "hello Ada\n");

    // Params that do not decode into a hello: BAD_REQUEST naming the field.
    bson_doc wrong;
    wrong.add_int32("name", 7);
    auto outcome = c.call("greeter", "Hello", wrong.view());
    ASSERT_EQ(outcome.code(), errc::bad_request);
    EXPECT_NE(outcome.err().detail.find("name"), std::string::npos) << outcome.err().detail;

    // After SIGTERM the service has drained and is gone: UNKNOWN_SERVICE.
    greeter->signal(SIGTERM);
    EXPECT_EQ(greeter->wait_exit(generous), std::optional<int>(0));
    auto after = greet({"--broker", broker.endpoint(), "--name", "Ada"});
    EXPECT_EQ(after.status, 1);
    EXPECT_NE(after.err.find("UNKNOWN_SERVICE"), std::string::npos) << after.err;
}

// Sections 5 to 7: brokers of two regions in the registry, the greeter in
// one, clients of both, and sky.
TEST(Tutorial, TheRegistryAndTwoRegionsAndSky) {
    redis_server redis;
    const auto eu = loopback_endpoint(free_port());
    const auto us = loopback_endpoint(free_port());
    const std::vector<std::string> common = {"--redis", redis.url(),   "--heartbeat-ms",
                                             heartbeat, "--log-level", "warn"};
    auto broker_args = [&](const std::string& bind, const std::string& region) {
        auto args = common;
        args.insert(args.end(), {"--bind", bind, "--region", region});
        return args;
    };
    child_process eu_broker("skynet-broker", broker_args(eu, "eu"));
    child_process us_broker("skynet-broker", broker_args(us, "us"));
    auto greeter = start_greeter({"--redis", redis.url(), "--region", "eu"});

    // Within eu, once the greeter registered; then from us, through eu.
    run_result run;
    ASSERT_TRUE(eventually([&] {
        run = greet({"--redis", redis.url(), "--region", "eu", "--name", "Ada"});
        return run.status == 0;
    })) << run.err
        << greeter->stderr_text();
    EXPECT_EQ(run.out, "hello Ada\n");
    auto from_us = greet({"--redis", redis.url(), "--region", "us", "--name", "Bo"});
    EXPECT_EQ(from_us.status, 0) << from_us.err;
    EXPECT_EQ(from_us.out, "hello Bo\n");

    const auto sky = (bin_dir() / "sky").string();
    auto services = run_program(sky, {"--redis", redis.url(), "services"}, 60s);
    EXPECT_EQ(services.status, 0) << services.err;
    EXPECT_NE(services.out.find("greeter"), std::string::npos) << services.out;
    auto called = run_program(
        sky, {"--redis", redis.url(), "call", "greeter", "Hello", R"({"name": "Cy", "times": 2})"},
        60s);
    EXPECT_EQ(called.status, 0) << called.err;
    EXPECT_NE(called.out.find("hello Cy, hello Cy"), std::string::npos) << called.out;
}

}  // namespace
}  // namespace skynet::testing
