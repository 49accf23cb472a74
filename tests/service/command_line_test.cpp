// The standard options of a service and a client: where each comes from and
// which source wins, the defaults, and bad values named with their option.
#include "skynet/service/command_line.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace skynet {
namespace {

// Parses `args` (after a program name) as a service's command line.
worker_options service_options_of(std::vector<std::string> args) {
    args.insert(args.begin(), "greeter");
    std::vector<const char*> argv;
    for (const auto& arg : args) {
        argv.push_back(arg.c_str());
    }
    command_line line(program_kind::service, "greeter", "says hello");
    EXPECT_TRUE(line.parse(static_cast<int>(argv.size()), argv.data()));
    return line.make_worker_options("greeter");
}

// A config file that lives as long as the test.
class config_file {
public:
    explicit config_file(const std::string& text)
        : path_(std::filesystem::temp_directory_path() /
                ("skynet-service-" + std::to_string(::getpid()) + ".ini")) {
        std::ofstream(path_) << text;
    }
    ~config_file() { std::filesystem::remove(path_); }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

// SKYNET_CONCURRENCY for one test; the variable is gone afterwards.
class environment_variable {
public:
    environment_variable(const char* name, const char* value) : name_(name) {
        ::setenv(name, value, 1);
    }
    ~environment_variable() { ::unsetenv(name_); }

private:
    const char* name_;
};

TEST(CommandLine, CommandLineBeatsEnvironmentBeatsConfigFile) {
    config_file file("concurrency = 3\n");
    EXPECT_EQ(service_options_of({"--config", file.path()}).concurrency, 3);
    {
        environment_variable env("SKYNET_CONCURRENCY", "5");
        EXPECT_EQ(service_options_of({"--config", file.path()}).concurrency, 5);
        EXPECT_EQ(service_options_of({"--config", file.path(), "--concurrency", "7"}).concurrency,
                  7);
    }
    EXPECT_EQ(service_options_of({}).concurrency, 4);  // the default, with no source
}

TEST(CommandLine, TheStandardOptionsReachTheWorkerOptions) {
    auto options = service_options_of({"--broker",       "tcp://127.0.0.1:5001",
                                       "--broker",       "ipc:///tmp/b",
                                       "--version",      "2.1",
                                       "--concurrency",  "6",
                                       "--credit",       "64",
                                       "--heartbeat-ms", "300",
                                       "--lease-ms",     "900",
                                       "--drain-ms",     "1500",
                                       "--redis",        "redis://127.0.0.1:7000",
                                       "--region",       "eu",
                                       "--prefix",       "test:"});
    EXPECT_EQ(options.service, "greeter");
    EXPECT_EQ(options.brokers, (std::vector<std::string>{"tcp://127.0.0.1:5001", "ipc:///tmp/b"}));
    EXPECT_EQ(options.version, "2.1");
    EXPECT_EQ(options.concurrency, 6);
    EXPECT_EQ(options.credit, 64u);
    EXPECT_EQ(options.heartbeat, std::chrono::milliseconds(300));
    EXPECT_EQ(options.lease, std::chrono::milliseconds(900));
    EXPECT_EQ(options.drain_timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(options.redis, "redis://127.0.0.1:7000");
    EXPECT_EQ(options.region, "eu");
    EXPECT_EQ(options.redis_prefix, "test:");
}

TEST(CommandLine, BrokersDefaultToLocalUnlessTheRegistryFindsThem) {
    auto plain = service_options_of({});
    EXPECT_EQ(plain.brokers, (std::vector<std::string>{"tcp://127.0.0.1:5555"}));
    EXPECT_EQ(plain.redis, "");
    auto found = service_options_of({"--redis", "redis://127.0.0.1:7000"});
    EXPECT_TRUE(found.brokers.empty());
    EXPECT_EQ(found.redis, "redis://127.0.0.1:7000");
}

TEST(CommandLine, ABadValueIsAnErrorNamingItsOption) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--broker", "127.0.0.1:5555"}, "--broker 127.0.0.1:5555: "},
        {{"--broker", "tcp://127.0.0.1:0"}, "--broker tcp://127.0.0.1:0: "},
        {{"--concurrency", "0"}, "--concurrency "},
        {{"--heartbeat-ms", "0"}, "--heartbeat-ms "},
        {{"--lease-ms", "50"}, "--lease-ms "},
        {{"--drain-ms", "-1"}, "--drain-ms "},
        {{"--redis", "notaurl"}, "--redis: bad redis URL \"notaurl\""},
        {{"--redis", "redis://127.0.0.1:99999"}, "--redis: bad redis URL"},
    };
    for (const auto& [args, start] : cases) {
        try {
            service_options_of(args);
            ADD_FAILURE() << args[0] << " " << args[1] << " was taken";
        } catch (const runtime::options_error& e) {
            EXPECT_EQ(std::string(e.what()).rfind(start, 0), 0u) << e.what();
        }
    }
}

TEST(CommandLine, AClientTakesBrokersButHasNoWorker) {
    const char* argv[] = {"caller", "--broker", "tcp://127.0.0.1:5001", "--region", "eu"};
    command_line line(program_kind::client, "caller", "calls");
    ASSERT_TRUE(line.parse(5, argv));
    auto options = line.make_client_options("caller");
    EXPECT_EQ(options.name, "caller");
    EXPECT_EQ(options.brokers, (std::vector<std::string>{"tcp://127.0.0.1:5001"}));
    EXPECT_EQ(options.region, "eu");
    EXPECT_THROW(line.make_worker_options("caller"), std::logic_error);
    const char* concurrency[] = {"caller", "--concurrency", "3"};
    EXPECT_THROW(line.parse(3, concurrency), runtime::options_error);
}

}  // namespace
}  // namespace skynet
