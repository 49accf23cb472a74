// The shipped binaries as users run them: --help, bad options, a plain MDP
// client through skynet-broker and echo-service, graceful SIGTERM.
#include <gtest/gtest.h>

#include <csignal>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> binaries = {"skynet-broker", "echo-service", "sleeper-service",
                                           "fibonacci-service", "fibonacci-client"};

TEST(Binaries, EveryBinaryHasHelp) {
    for (const auto& name : binaries) {
        auto run = run_program(name, {"--help"});
        EXPECT_EQ(run.status, 0) << name;
        EXPECT_NE(run.out.find("--log-level"), std::string::npos) << name;
        EXPECT_NE(run.out.find("--config"), std::string::npos) << name;
    }
}

TEST(Binaries, ABadOptionIsOneLineAndStatus2) {
    for (const auto& name : binaries) {
        auto run = run_program(name, {"--no-such-option"});
        EXPECT_EQ(run.status, 2) << name;
        EXPECT_EQ(run.err.rfind(name + ": ", 0), 0u) << name << " said: " << run.err;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    }
    auto run = run_program("skynet-broker", {"--liveness", "0"});
    EXPECT_EQ(run.status, 2);
}

// An endpoint of the wrong form is a bad option like any other: one line, 2.
TEST(Binaries, AMalformedEndpointIsOneLineAndStatus2) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
        {"skynet-broker", {"--bind", "127.0.0.1:5555"}},
        {"skynet-broker", {"--bind", "nonsense://here"}},
        {"fibonacci-client", {"--broker", "127.0.0.1:5555"}},
        {"fibonacci-service", {"--broker", "127.0.0.1:5555"}},
        {"echo-service", {"--broker", "tcp://127.0.0.1:port"}},
        {"sleeper-service", {"--broker", "tcp://127.0.0.1:5555", "--broker", "127.0.0.1:5556"}},
    };
    for (const auto& [name, args] : runs) {
        auto run = run_program(name, args);
        const auto& endpoint = args.back();
        EXPECT_EQ(run.status, 2) << name << " " << endpoint << " said: " << run.err;
        EXPECT_EQ(run.err.rfind(name + ": " + args[args.size() - 2] + " " + endpoint + ": ", 0), 0u)
            << run.err;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    }
}

// A Redis that refuses the password of --redis is told once, at start: a
// wrong password never heals by retrying in the background.
TEST(Binaries, AWrongRedisPasswordIsOneLineAndStatus2) {
    redis_server redis({"--requirepass", "right"});
    const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
        {"skynet-broker", {"--bind", "tcp://127.0.0.1:*"}},
        {"echo-service", {}},
        {"fibonacci-client", {}},
    };
    for (const auto& [name, args] : runs) {
        auto with_redis = args;
        with_redis.insert(with_redis.end(), {"--redis", redis.url("wrong"), "--region", "nowhere"});
        auto run = run_program(name, with_redis);
        EXPECT_EQ(run.status, 2) << name << " said: " << run.err;
        EXPECT_EQ(run.err.rfind(name + ": ", 0), 0u) << run.err;
        EXPECT_NE(run.err.find("refused the user and password"), std::string::npos) << run.err;
        EXPECT_EQ(run.err.find("wrong"), std::string::npos) << "the password leaked: " << run.err;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    }
}

// A well-formed endpoint that cannot be had now is no bad option: status 1.
TEST(Binaries, ABrokerThatCannotBindSaysWhy) {
    running_broker taken;
    auto run = run_program("skynet-broker", {"--bind", taken.endpoint()});
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find(taken.endpoint()), std::string::npos) << run.err;
}

struct cluster {
    cluster() : endpoint(loopback_endpoint(free_port())) {
        broker = std::make_unique<child_process>(
            "skynet-broker", std::vector<std::string>{"--bind", endpoint, "--heartbeat-ms", "100",
                                                      "--log-level", "warn"});
    }
    std::unique_ptr<child_process> service(const std::string& name) {
        return std::make_unique<child_process>(
            name, std::vector<std::string>{"--broker", endpoint, "--heartbeat-ms", "100",
                                           "--log-level", "warn"});
    }
    std::string endpoint;
    std::unique_ptr<child_process> broker;
};

TEST(Binaries, APlainClientGetsItsFramesBackFromEchoService) {
    cluster c;
    auto echo = c.service("echo-service");
    client ours(fast_client_options(c.endpoint));
    ASSERT_TRUE(wait_for_service(ours, "echo"));

    zmq::context_t context(1);
    plain_client plain(context, c.endpoint);
    auto reply = plain.request("echo", {"hello", "world"}, 10s);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(*reply, (frame_list{"hello", "world"}));
}

TEST(Binaries, SigtermLetsAWorkerFinishWhatItHolds) {
    running_broker broker;
    child_process sleeper("sleeper-service", {"--broker", broker.endpoint(), "--heartbeat-ms",
                                              "100", "--log-level", "warn"});
    client ours(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(ours, "sleeper"));

    bus::bson_doc params;
    params.add_int64("ms", 1000);
    call_options options;
    options.timeout = 30s;
    auto pending = ours.call_future("sleeper", "Sleep", params.view(), options);
    // Sent to the worker (maybe not yet read by it): SIGTERM must not lose it.
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 1; }));
    sleeper.signal(SIGTERM);
    auto outcome = pending.get();
    ASSERT_TRUE(outcome.ok()) << bus::to_string(outcome.code()) << ": " << outcome.err().detail;
    EXPECT_EQ(outcome->result().get_int64("slept_ms"), 1000);
    EXPECT_EQ(sleeper.wait_exit(generous), 0);
    // It said DISCONNECT rather than going silent: gone without a lost worker.
    EXPECT_TRUE(wait_for_no_service(ours, "sleeper"));
    EXPECT_EQ(broker.stats().workers_lost, 0u);
}

TEST(Binaries, SigtermToTheBrokerEndsItCleanly) {
    cluster c;
    client ours(fast_client_options(c.endpoint));
    ASSERT_TRUE(eventually([&] { return mmi_service(ours, "x") == "404"; }));
    c.broker->signal(SIGTERM);
    EXPECT_EQ(c.broker->wait_exit(generous), 0);
}

}  // namespace
}  // namespace skynet::testing
