// The JSON sky exchanges with host daemons (skynet/sky/daemon_protocol.hpp):
// requests as the daemon expects them, answers read back, garbage answers
// an error naming what is wrong, never an exception.

#include "skynet/sky/daemon_protocol.hpp"

#include <gtest/gtest.h>

namespace skynet::testing {
namespace {

using nlohmann::json;
using namespace sky;

daemon::process_row sample_row() {
    return {.id = "svc-h1-0123456789ab",
            .service = "fibonacci-service",
            .host = "h1",
            .state = daemon::process_state::backoff,
            .pid = 0,
            .restarts = 3,
            .last_exit = "signal SIGKILL",
            .argv = {"/usr/bin/fibonacci-service", "--redis", "redis://r:6379"},
            .started_at = 1700000000123,
            .reason = "exited 3 times in 120 s"};
}

TEST(DaemonProtocol, DeployArgumentHasTheFieldsSkySets) {
    daemon::process_spec spec;
    spec.argv = {"/bin/svc", "--x"};
    spec.env = {"A=1"};
    spec.cwd = "/tmp";
    spec.restart = daemon::restart_policy::on_failure;
    spec.count = 3;
    auto j = json::parse(deploy_argument(spec));
    EXPECT_EQ(j["argv"], json({"/bin/svc", "--x"}));
    EXPECT_EQ(j["env"], json({"A=1"}));
    EXPECT_EQ(j["cwd"], "/tmp");
    EXPECT_EQ(j["restart"], "on-failure");
    EXPECT_EQ(j["count"], 3);
    EXPECT_EQ(j.size(), 5U);              // the rest: the daemon's defaults
    EXPECT_FALSE(j.contains("service"));  // the daemon's default: argv[0]'s basename
    spec.service = "calc";
    EXPECT_EQ(json::parse(deploy_argument(spec))["service"], "calc");
    auto back = daemon::process_spec_from_json(json::parse(deploy_argument(spec)));
    ASSERT_TRUE(back.ok()) << back.err().detail;
    EXPECT_EQ(*back, spec);  // the daemon reads back what sky meant
}

TEST(DaemonProtocol, StatesHaveTheirWireSpelling) {
    for (auto s : {daemon::process_state::starting, daemon::process_state::running,
                   daemon::process_state::backoff, daemon::process_state::crash_looping,
                   daemon::process_state::stopping, daemon::process_state::stopped}) {
        EXPECT_EQ(daemon::parse_process_state(daemon::to_string(s)), s);
    }
    EXPECT_EQ(daemon::to_string(daemon::process_state::crash_looping), "crash-looping");
    EXPECT_FALSE(daemon::parse_process_state("sleeping"));
}

TEST(DaemonProtocol, ProcessRowsRoundTrip) {
    auto row = sample_row();
    auto back = daemon::process_row::from_json(row.to_json());
    ASSERT_TRUE(back.ok()) << back.err().detail;
    EXPECT_EQ(*back, row);
    json answer{{"host", "h1"}, {"processes", {row.to_json(), json{{"id", "svc-h1-2"}}}}};
    auto parsed = parse_processes_answer(answer.dump());
    ASSERT_TRUE(parsed.ok()) << parsed.err().detail;
    EXPECT_EQ(parsed->host, "h1");
    ASSERT_EQ(parsed->processes.size(), 2U);
    EXPECT_EQ(parsed->processes[0], row);
    EXPECT_EQ(parsed->processes[1], daemon::process_row{.id = "svc-h1-2"});  // absent: defaults
}

TEST(DaemonProtocol, GarbageAnswersAreErrorsNamingTheProblem) {
    struct bad {
        std::string text;
        std::string mentions;
    };
    for (const auto& [text, mentions] : std::vector<bad>{
             {"", "not JSON"},
             {"[1,2]", "not a JSON object"},
             {R"({"host":"h"})", "no \"processes\""},
             {R"({"processes":[{"state":"running"}]})", "\"id\" is missing"},
             {R"({"processes":[{"id":"x","pid":"12"}]})", "\"pid\" has the wrong type"},
             {R"({"processes":[{"id":"x","pid":1e3}]})", "\"pid\" has the wrong type"},
             {R"({"processes":[{"id":"x","pid":99999999999}]})", "\"pid\" has the wrong"},
             {R"({"processes":[{"id":"x","argv":["a",1]}]})", "\"argv\" has the wrong"},
             {R"({"processes":[{"id":"x","state":"sleeping"}]})", "\"state\" is not one of"},
             {R"({"processes":[7]})", "not a JSON object"},
         }) {
        auto parsed = parse_processes_answer(text);
        ASSERT_FALSE(parsed.ok()) << text;
        EXPECT_EQ(parsed.err().code, bus::errc::bad_request);
        EXPECT_NE(parsed.err().detail.find(mentions), std::string::npos) << parsed.err().detail;
    }
    EXPECT_FALSE(parse_deploy_answer(R"({"ids":"svc-1"})").ok());
    EXPECT_FALSE(parse_deploy_answer(R"({"ids":[1]})").ok());
    EXPECT_FALSE(parse_logs_answer(R"({"cursor":"c"})").ok());
    EXPECT_FALSE(parse_state_answer(R"({"id":5})").ok());
}

TEST(DaemonProtocol, AnswersAreRead) {
    auto ids = parse_deploy_answer(R"({"ids":["svc-h-1","svc-h-2"]})");
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(*ids, (std::vector<std::string>{"svc-h-1", "svc-h-2"}));
    auto state = parse_state_answer(R"({"id":"svc-h-1","state":"stopped"})");
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(state->state, "stopped");
    auto logs = parse_logs_answer(R"({"lines":["a","b c"],"cursor":"f1:42","dropped":2})");
    ASSERT_TRUE(logs.ok()) << logs.err().detail;
    EXPECT_EQ(logs->lines, (std::vector<std::string>{"a", "b c"}));
    EXPECT_EQ(logs->cursor, "f1:42");
    EXPECT_EQ(logs->dropped, 2U);
}

TEST(DaemonProtocol, RequestsCarryTheirFields) {
    EXPECT_EQ(json::parse(id_argument("svc-\"q\"")), json({{"id", "svc-\"q\""}}));
    logs_request r{.id = "svc-1", .tail = 5, .grep = "err(or)?", .cursor = "c"};
    auto j = r.to_json();
    EXPECT_EQ(j["id"], "svc-1");
    EXPECT_EQ(j["tail"], 5);
    EXPECT_EQ(j["grep"], "err(or)?");
    EXPECT_EQ(j["cursor"], "c");
}

}  // namespace
}  // namespace skynet::testing
