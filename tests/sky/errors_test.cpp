// Bad input: one line on stderr and a distinct non-zero exit status.

#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

using steady = std::chrono::steady_clock;

// One line, starting "sky: ".
void expect_one_line(const run_result& r) {
    EXPECT_TRUE(r.err.starts_with("sky: ")) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(SkyTest, UnknownCommandOrOptionIsAUsageError) {
    auto command = sky({"dance"});
    EXPECT_EQ(command.status, 2);
    expect_one_line(command);
    EXPECT_NE(command.err.find("unknown command 'dance'"), std::string::npos);
    auto option = sky({"services", "--colour"});
    EXPECT_EQ(option.status, 2);
    expect_one_line(option);
    EXPECT_NE(option.err.find("--colour"), std::string::npos);
    EXPECT_EQ(sky({"services", "extra"}).status, 2);
    EXPECT_EQ(sky({"log", "loud", "--all"}).status, 2);
    EXPECT_EQ(sky({"instances", "--kind", "robot"}).status, 2);
    EXPECT_EQ(sky({"call", "fibonacci", "Index", "--timeout", "soon"}).status, 2);
}

TEST_F(SkyTest, UnreachableRedisIsNamedWithinTwoSeconds) {
    auto url = "redis://127.0.0.1:" + std::to_string(free_port());
    auto begun = steady::now();
    auto r = run_program("sky", {"--redis", url, "services"});
    EXPECT_LT(steady::now() - begun, std::chrono::seconds(2));
    EXPECT_EQ(r.status, 3);
    expect_one_line(r);
    EXPECT_NE(r.err.find(url), std::string::npos) << r.err;
}

TEST_F(SkyTest, SKYNETREDISIsTheDefault) {
    auto r = run_program("/usr/bin/env",
                         {"SKYNET_REDIS=" + redis_.url(), (bin_dir() / "sky").string(), "regions"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "REGION  HOSTS  BROKERS  WORKERS  INSTANCES\n");
}

TEST_F(SkyTest, AFilterMatchingNothingIsAnError) {
    put_cluster();
    for (const auto& command : {"instances", "services", "topology", "stop", "methods"}) {
        auto r = sky({command, "--service", "nothing"});
        EXPECT_EQ(r.status, 4) << command;
        expect_one_line(r);
        EXPECT_NE(r.err.find("no instances match --service nothing"), std::string::npos);
    }
}

TEST_F(SkyTest, MalformedJsonForCallIsAUsageError) {
    put_cluster();
    auto r = sky({"call", "fibonacci", "Index", "{\"n\": "});
    EXPECT_EQ(r.status, 2);
    expect_one_line(r);
    EXPECT_NE(r.err.find("malformed JSON"), std::string::npos);
}

TEST_F(SkyTest, ActingOnEveryInstanceNeedsAll) {
    put_cluster();
    for (const auto& command : {"unregister", "stop", "restart"}) {
        auto r = sky({command});
        EXPECT_EQ(r.status, 2) << command;
        expect_one_line(r);
        EXPECT_NE(r.err.find("--all"), std::string::npos) << r.err;
    }
}

TEST_F(SkyTest, HelpListsCommandsAndExitStatuses) {
    auto r = sky({"help"});
    EXPECT_EQ(r.status, 0);
    for (const auto& word : {"services", "topology", "unregister", "call SERVICE METHOD", "watch",
                             "cli", "14 timeout", "12 no such service"}) {
        EXPECT_NE(r.out.find(word), std::string::npos) << word;
    }
    EXPECT_EQ(run_program("sky", {}).status, 2);
}

}  // namespace
}  // namespace skynet::testing
