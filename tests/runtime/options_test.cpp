// Options: the command line wins over SKYNET_* variables, which win over the
// config file; bad input is one clear error.
#include "skynet/runtime/options.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using skynet::runtime::option_parser;
using skynet::runtime::options_error;
namespace po = skynet::runtime::po;

namespace {

struct scoped_env {
    scoped_env(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
    ~scoped_env() { ::unsetenv(name_); }
    const char* name_;
};

option_parser make_parser() {
    option_parser parser("test", "a test program");
    parser.add()("bind", po::value<std::string>()->default_value("tcp://*:5555"), "bind");
    return parser;
}

std::filesystem::path write_config(const std::string& text) {
    auto path = std::filesystem::temp_directory_path() /
                ("skynet-options-" + std::to_string(::getpid()) + ".ini");
    std::ofstream(path) << text;
    return path;
}

TEST(Options, DefaultsApplyWithoutAnySource) {
    auto parser = make_parser();
    const char* argv[] = {"test"};
    ASSERT_TRUE(parser.parse(1, argv));
    EXPECT_EQ(parser.get<std::string>("bind"), "tcp://*:5555");
    EXPECT_EQ(parser.common().log_level, "info");
}

TEST(Options, CommandLineBeatsEnvironmentBeatsConfig) {
    auto config = write_config("bind = tcp://*:1\nregion = from-config\nhost = from-config\n");
    scoped_env env_region("SKYNET_REGION", "from-env");
    scoped_env env_bind("SKYNET_BIND", "tcp://*:2");
    auto parser = make_parser();
    std::string config_arg = "--config=" + config.string();
    const char* argv[] = {"test", config_arg.c_str(), "--bind", "tcp://*:3"};
    ASSERT_TRUE(parser.parse(4, argv));
    EXPECT_EQ(parser.get<std::string>("bind"), "tcp://*:3");
    EXPECT_EQ(parser.common().region, "from-env");
    EXPECT_EQ(parser.common().host, "from-config");
    std::filesystem::remove(config);
}

TEST(Options, BadInputIsOneClearError) {
    {
        auto parser = make_parser();
        const char* argv[] = {"test", "--no-such-option"};
        EXPECT_THROW(parser.parse(2, argv), options_error);
    }
    {
        auto parser = make_parser();
        const char* argv[] = {"test", "--log-level", "loud"};
        try {
            (void)parser.parse(3, argv);
            FAIL() << "a bad level was accepted";
        } catch (const options_error& e) {
            EXPECT_NE(std::string(e.what()).find("log-level"), std::string::npos);
        }
    }
    {
        auto parser = make_parser();
        const char* argv[] = {"test", "--config", "/nonexistent/skynet.ini"};
        EXPECT_THROW(parser.parse(3, argv), options_error);
    }
}

TEST(Options, HelpReturnsFalse) {
    auto parser = make_parser();
    const char* argv[] = {"test", "--help"};
    testing::internal::CaptureStdout();
    EXPECT_FALSE(parser.parse(2, argv));
    auto printed = testing::internal::GetCapturedStdout();
    EXPECT_NE(printed.find("--bind"), std::string::npos);
    EXPECT_NE(printed.find("--redis"), std::string::npos);
}

}  // namespace

namespace {

TEST(Options, RedisCountsAsGivenOnlyWhenSet) {
    {
        auto parser = make_parser();
        const char* argv[] = {"test"};
        ASSERT_TRUE(parser.parse(1, argv));
        EXPECT_FALSE(parser.common().redis_given);
    }
    {
        scoped_env env("SKYNET_REDIS", "redis://127.0.0.1:7000");
        auto parser = make_parser();
        const char* argv[] = {"test"};
        ASSERT_TRUE(parser.parse(1, argv));
        EXPECT_TRUE(parser.common().redis_given);
        EXPECT_EQ(parser.common().redis, "redis://127.0.0.1:7000");
    }
}

}  // namespace
