// Commands by name (issue 15: a host daemon's deploy, logs, ...): the
// handler's text comes back as the answer, tens of KB included; a throwing
// handler is an error answer; a named handler takes precedence over the
// built-in command of the same spelling.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "registry_fixture.hpp"
#include "skynet/registry/commands.hpp"
#include "skynet/registry/registrar.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using registry::command_status;

class NamedCommandTest : public RegistryTest {
protected:
    bus::result<std::vector<registry::command_outcome>> send(std::vector<std::string> ids,
                                                             std::string_view name,
                                                             std::string_view argument = {}) {
        return registry::send_command(options(), ids, name, argument, 3000ms);
    }
    std::unique_ptr<registry::registrar> start(const std::string& id,
                                               registry::command_handlers handlers) {
        auto r =
            std::make_unique<registry::registrar>(options(), make_record(id), fast_registrar());
        r->handle_commands(std::move(handlers));
        EXPECT_TRUE(eventually([&] { return r->commands_subscribed(); }));
        return r;
    }
};

TEST_F(NamedCommandTest, TheAnswerTextComesBack) {
    registry::command_handlers h;
    h.named["echo"] = [](const std::string& argument) { return "got " + argument; };
    auto d = start("d", std::move(h));
    auto out = send({"d"}, "echo", R"({"id":"svc-h-1", "with spaces": true})");
    ASSERT_TRUE(out.ok()) << out.err().detail;
    ASSERT_EQ(out->size(), 1U);
    EXPECT_EQ(out->front().status, command_status::acted);
    EXPECT_EQ(out->front().detail, R"(got {"id":"svc-h-1", "with spaces": true})");
}

TEST_F(NamedCommandTest, LargeArgumentsAndAnswersPass) {
    registry::command_handlers h;
    h.named["logs"] = [](const std::string& argument) { return argument + argument; };
    auto d = start("d", std::move(h));
    std::string big;
    for (int i = 0; big.size() < 60000; ++i) {
        big += "line " + std::to_string(i) + " of a log\n";
    }
    auto out = send({"d"}, "logs", big);
    ASSERT_TRUE(out.ok()) << out.err().detail;
    EXPECT_EQ(out->front().status, command_status::acted);
    EXPECT_EQ(out->front().detail, big + big);
}

TEST_F(NamedCommandTest, AThrowingHandlerIsAnErrorAnswer) {
    registry::command_handlers h;
    h.named["deploy"] = [](const std::string&) -> std::string {
        throw std::runtime_error("no such executable: /nope");
    };
    auto d = start("d", std::move(h));
    auto out = send({"d"}, "deploy", "{}");
    ASSERT_TRUE(out.ok()) << out.err().detail;
    EXPECT_EQ(out->front().status, command_status::failed);
    EXPECT_EQ(out->front().detail, "no such executable: /nope");
    auto unknown = send({"d"}, "frobnicate", "{}");
    ASSERT_TRUE(unknown.ok());
    EXPECT_EQ(unknown->front().status, command_status::failed);
    EXPECT_EQ(unknown->front().detail, "unknown command frobnicate");
}

TEST_F(NamedCommandTest, ANamedHandlerTakesPrecedenceOverTheBuiltIn) {
    std::atomic<int> plain_stops{0};
    registry::command_handlers h;
    h.stop = [&] { ++plain_stops; };
    h.named["stop"] = [](const std::string& argument) { return "stopping " + argument; };
    auto d = start("d", std::move(h));
    auto out = send({"d"}, "stop", R"({"id":"x"})");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->front().status, command_status::acted);
    EXPECT_EQ(out->front().detail, R"(stopping {"id":"x"})");
    EXPECT_EQ(plain_stops, 0);
    // The enum version still reaches the plain handlers of an ordinary instance.
    std::atomic<int> restarts{0};
    auto w = start("w", {.restart = [&] { ++restarts; }});
    auto plain = registry::send_command(options(), std::vector<std::string>{"w"},
                                        registry::command::restart, {}, 3000ms);
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain->front().status, command_status::acted);
    EXPECT_EQ(plain->front().detail, "");
    EXPECT_EQ(restarts, 1);
}

TEST_F(NamedCommandTest, ANameWithASpaceIsABadRequest) {
    for (std::string_view name : {"", "two words", "tab\there"}) {
        auto out = send({"d"}, name, "{}");
        ASSERT_FALSE(out.ok()) << name;
        EXPECT_EQ(out.err().code, bus::errc::bad_request);
    }
}

TEST_F(NamedCommandTest, ADaemonThatIsNotListeningIsNamed) {
    auto out = registry::send_command(options(), std::vector<std::string>{"gone"}, "processes",
                                      "{}", 600ms);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->front().status, command_status::not_listening);
}

}  // namespace
}  // namespace skynet::testing
