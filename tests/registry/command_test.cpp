// The command channel: a command reaches only the instances it names, each
// answer is counted, and who did not answer is named once the timeout passed.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "registry_fixture.hpp"
#include "skynet/registry/commands.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using registry::command;
using registry::command_status;
using steady = std::chrono::steady_clock;

// Counts what an instance was told to do.
struct obedient {
    std::atomic<int> registers{0}, unregisters{0}, stops{0}, restarts{0};
    // Written on the command thread: ordered with the test's read only through Redis.
    std::mutex mutex;
    std::string level_set;

    std::string level() {
        std::lock_guard lock(mutex);
        return level_set;
    }

    registry::command_handlers handlers() {
        return {[this] { ++registers; }, [this] { ++unregisters; }, [this] { ++stops; },
                [this] { ++restarts; },
                [this](const std::string& l) {
                    std::lock_guard lock(mutex);
                    level_set = l;
                    return l == "debug" || l == "info";
                }};
    }
};

class CommandTest : public RegistryTest {
protected:
    bus::result<std::vector<registry::command_outcome>> send(
        std::vector<std::string> ids, command what, std::string_view argument = {},
        std::chrono::milliseconds timeout = 3000ms) {
        return registry::send_command(options(), ids, what, argument, timeout);
    }
    // A registrar that takes commands, once subscribed.
    std::unique_ptr<registry::registrar> start(const std::string& id, obedient& o) {
        auto r =
            std::make_unique<registry::registrar>(options(), make_record(id), fast_registrar());
        r->handle_commands(o.handlers());
        EXPECT_TRUE(eventually([&] { return r->commands_subscribed(); }));
        return r;
    }
    std::string redis_cli_port() const { return std::to_string(redis_.port()); }
};

TEST_F(CommandTest, ACommandReachesOnlyTheNamedInstances) {
    obedient a, b, c;
    auto ra = start("a", a);
    auto rb = start("b", b);
    auto rc = start("c", c);
    auto outcomes = send({"a", "c"}, command::stop);
    ASSERT_TRUE(outcomes.ok()) << outcomes.err().detail;
    ASSERT_EQ(outcomes->size(), 2U);
    EXPECT_EQ((*outcomes)[0].id, "a");
    EXPECT_EQ((*outcomes)[0].status, command_status::acted);
    EXPECT_EQ((*outcomes)[1].id, "c");
    EXPECT_EQ((*outcomes)[1].status, command_status::acted);
    EXPECT_EQ(a.stops, 1);
    EXPECT_EQ(b.stops, 0);
    EXPECT_EQ(c.stops, 1);
}

TEST_F(CommandTest, EachCommandCallsItsOwnHandler) {
    obedient a;
    auto ra = start("a", a);
    for (auto what : {command::register_, command::unregister, command::restart}) {
        auto outcomes = send({"a"}, what);
        ASSERT_TRUE(outcomes.ok());
        EXPECT_EQ(outcomes->front().status, command_status::acted) << to_string(what);
    }
    EXPECT_EQ(a.registers, 1);
    EXPECT_EQ(a.unregisters, 1);
    EXPECT_EQ(a.restarts, 1);
    EXPECT_EQ(a.stops, 0);
    auto level = send({"a"}, command::log_level, "debug");
    ASSERT_TRUE(level.ok());
    EXPECT_EQ(level->front().status, command_status::acted);
    EXPECT_EQ(a.level(), "debug");
}

TEST_F(CommandTest, FailuresAreAnsweredWithTheirReason) {
    obedient a;
    auto ra = start("a", a);
    auto rb = std::make_unique<registry::registrar>(options(), make_record("b"), fast_registrar());
    rb->handle_commands({.stop = [] { throw std::runtime_error("cannot stop now"); }});
    ASSERT_TRUE(eventually([&] { return rb->commands_subscribed(); }));

    auto bad_level = send({"a"}, command::log_level, "loud");
    ASSERT_TRUE(bad_level.ok());
    EXPECT_EQ(bad_level->front().status, command_status::failed);
    EXPECT_EQ(bad_level->front().detail, "unknown log level loud");

    auto stops = send({"b"}, command::stop);
    ASSERT_TRUE(stops.ok());
    EXPECT_EQ(stops->front().status, command_status::failed);
    EXPECT_EQ(stops->front().detail, "cannot stop now");

    auto unsupported = send({"b"}, command::restart);
    ASSERT_TRUE(unsupported.ok());
    EXPECT_EQ(unsupported->front().status, command_status::failed);
    EXPECT_EQ(unsupported->front().detail, "not supported by this instance");
}

TEST_F(CommandTest, SilentInstancesAreNamedAfterTheTimeout) {
    obedient a;
    auto ra = start("a", a);
    // Subscribed, but never answers: as a frozen process would be.
    child_process frozen("/usr/bin/redis-cli",
                         {"-p", redis_cli_port(), "SUBSCRIBE", "test:commands:frozen"});
    ASSERT_TRUE(eventually([&] {
        auto r = run_program("/usr/bin/redis-cli",
                             {"-p", redis_cli_port(), "PUBSUB", "NUMSUB", "test:commands:frozen"});
        return r.out.find("\n1") != std::string::npos;
    }));
    auto begun = steady::now();
    auto outcomes = send({"a", "frozen", "gone", "a"}, command::stop, {}, 1200ms);
    auto took = steady::now() - begun;
    ASSERT_TRUE(outcomes.ok()) << outcomes.err().detail;
    ASSERT_EQ(outcomes->size(), 3U);  // "a" once
    EXPECT_EQ((*outcomes)[0].status, command_status::acted);
    EXPECT_EQ((*outcomes)[1].id, "frozen");
    EXPECT_EQ((*outcomes)[1].status, command_status::no_answer);
    EXPECT_EQ((*outcomes)[2].id, "gone");
    EXPECT_EQ((*outcomes)[2].status, command_status::not_listening);
    EXPECT_GE(took, 1200ms);
    EXPECT_LT(took, 4000ms);
    EXPECT_EQ(a.stops, 1);
}

TEST_F(CommandTest, UnknownAndMalformedCommandsAreHarmless) {
    obedient a;
    auto ra = start("a", a);
    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"-p", redis_cli_port()});
        return run_program("/usr/bin/redis-cli", args).out;
    };
    cli({"PUBLISH", "test:commands:a", "no-nonce! stop"});
    cli({"PUBLISH", "test:commands:a", ""});
    cli({"PUBLISH", "test:commands:a", "n1 dance"});
    ASSERT_TRUE(eventually([&] { return cli({"LLEN", "test:acks:n1"}) == "1\n"; }));
    EXPECT_EQ(cli({"LPOP", "test:acks:n1"}), "a error unknown command dance\n");
    EXPECT_EQ(a.stops, 0);
    auto outcomes = send({"a"}, command::stop);  // still listening
    ASSERT_TRUE(outcomes.ok());
    EXPECT_EQ(outcomes->front().status, command_status::acted);
}

TEST_F(CommandTest, InstancesSubscribeAgainAfterRedisRestarts) {
    obedient a;
    auto ra = start("a", a);
    redis_.stop();
    ASSERT_TRUE(eventually([&] { return !ra->commands_subscribed(); }));
    auto failed = send({"a"}, command::stop, {}, 200ms);
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(failed.code(), bus::errc::unavailable);
    redis_.start();
    ASSERT_TRUE(eventually([&] {
        auto outcomes = send({"a"}, command::register_, {}, 300ms);
        return outcomes.ok() && outcomes->front().status == command_status::acted;
    }));
    EXPECT_GE(a.registers, 1);
}

TEST_F(CommandTest, AnAbandonedInstanceTakesNoCommands) {
    obedient a;
    auto ra = start("a", a);
    ra->abandon();
    auto outcomes = send({"a"}, command::stop, {}, 300ms);
    ASSERT_TRUE(outcomes.ok());
    EXPECT_EQ(outcomes->front().status, command_status::not_listening);
    EXPECT_EQ(a.stops, 0);
}

}  // namespace
}  // namespace skynet::testing
