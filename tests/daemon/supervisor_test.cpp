// The supervisor with real children (/bin/sh scripts): output into sinks,
// restarts by policy, crash-looping, stop by process group with a timeout,
// and adoption of the processes of a supervisor that went away.
#include "skynet/daemon/supervisor.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "skynet/daemon/state_file.hpp"
#include "supervisor_helpers.hpp"

namespace {

using namespace std::chrono_literals;
using skynet::daemon::process_spec;
using skynet::daemon::process_state;
using skynet::daemon::restart_policy;
using skynet::daemon::supervisor;
using skynet::daemon::supervisor_event;
namespace t = skynet::daemon::testing;

process_spec shell(std::string script, restart_policy policy = restart_policy::always) {
    process_spec spec;
    spec.argv = {"/bin/sh", "-c", std::move(script)};
    spec.restart = policy;
    spec.start_timeout = 200ms;
    spec.stop_timeout = 5s;
    return spec;
}

TEST(Supervisor, RunsAProcessWithItsIdsAndDrainsItsOutput) {
    t::harness h;
    auto spec = shell(
        "echo id=$SKYNET_INSTANCE_ID by=$SKYNET_MANAGED_BY host=$SKYNET_HOST; "
        "echo oops >&2; exec sleep 100");
    auto ids = h.sup->deploy(spec);
    ASSERT_TRUE(ids.ok()) << ids.err().detail;
    ASSERT_EQ(ids->size(), 1u);
    const auto id = ids->front();
    EXPECT_EQ(id.rfind("svc-testhost-", 0), 0u) << id;
    EXPECT_EQ(id.size(), std::string("svc-testhost-").size() + 12);
    ASSERT_TRUE(h.run_until([&] {
        return h.output(id).find("oops") != std::string::npos &&
               h.output(id).find("host=") != std::string::npos;
    }));
    EXPECT_NE(h.output(id).find("id=" + id + " by=skyd-test host=testhost"), std::string::npos)
        << h.output(id);
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::running; }));
    EXPECT_GT(h.row(id).pid, 0);
    EXPECT_EQ(h.row(id).service, "sh");
}

TEST(Supervisor, ARegisteredProcessIsRunningBeforeItsStartTimeout) {
    t::harness h(
        [](auto& options) { options.registered = [](const std::string&) { return true; }; });
    auto spec = shell("exec sleep 100");
    spec.start_timeout = 1h;
    auto ids = h.sup->deploy(spec);
    ASSERT_TRUE(ids.ok());
    EXPECT_TRUE(h.run_until([&] { return h.row(ids->front()).state == process_state::running; }));
}

TEST(Supervisor, AMissingProgramIsRefusedAndNothingStarts) {
    t::harness h;
    process_spec spec;
    spec.argv = {"/nonexistent/program"};
    spec.count = 2;
    auto ids = h.sup->deploy(spec);
    ASSERT_FALSE(ids.ok());
    EXPECT_NE(ids.err().detail.find("/nonexistent/program"), std::string::npos) << ids.err().detail;
    EXPECT_TRUE(h.sup->list().empty());
}

TEST(Supervisor, AFailingProcessBacksOffThenCrashLoopsUntilReset) {
    t::harness h;
    auto ids = h.sup->deploy(shell("exit 3"));
    ASSERT_TRUE(ids.ok());
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::crash_looping; }));
    const auto row = h.row(id);
    EXPECT_EQ(row.last_exit, "exit 3");
    EXPECT_EQ(row.restarts, 5);  // the first run and 5 restarts: 6 failures
    EXPECT_NE(row.reason.find("exit 3"), std::string::npos) << row.reason;
    EXPECT_EQ(h.count(supervisor_event::kind::restarting), 5);
    EXPECT_EQ(h.count(supervisor_event::kind::crash_looping), 1);
    EXPECT_EQ(h.sup->next_deadline(), std::nullopt);  // no more retries

    ASSERT_TRUE(h.sup->reset(id).ok());
    EXPECT_EQ(h.count(supervisor_event::kind::started), 7);
    ASSERT_TRUE(h.run_until([&] { return h.count(supervisor_event::kind::crash_looping) == 2; }));
}

TEST(Supervisor, CrashLoopingOutlivesARestartOfSkyd) {
    t::temp_dir state;
    std::string id;
    {
        t::harness old([&](auto& options) { options.state_dir = state.path; });
        auto ids = old.sup->deploy(shell("exit 4"));
        ASSERT_TRUE(ids.ok());
        id = ids->front();
        ASSERT_TRUE(
            old.run_until([&] { return old.row(id).state == process_state::crash_looping; }));
        old.sup->detach();
    }
    t::harness fresh([&](auto& options) { options.state_dir = state.path; });
    EXPECT_EQ(fresh.row(id).state, process_state::crash_looping);
    EXPECT_EQ(fresh.row(id).last_exit, "exit 4");
    EXPECT_EQ(fresh.count(supervisor_event::kind::started), 0);
    ASSERT_TRUE(fresh.sup->reset(id).ok());
    EXPECT_EQ(fresh.count(supervisor_event::kind::started), 1);
}

TEST(Supervisor, OnFailureDoesNotRestartACleanExit) {
    t::harness h;
    auto ids = h.sup->deploy(shell("exit 0", restart_policy::on_failure));
    ASSERT_TRUE(ids.ok());
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::stopped; }));
    EXPECT_EQ(h.row(id).last_exit, "exit 0");
    EXPECT_EQ(h.count(supervisor_event::kind::started), 1);
    ASSERT_TRUE(h.sup->start(id).ok());
    EXPECT_EQ(h.count(supervisor_event::kind::started), 2);
}

TEST(Supervisor, StopUnregistersThenEndsTheWholeGroup) {
    std::vector<std::string> unregistered;
    t::harness h([&](auto& options) {
        options.unregister = [&](const std::string& id) { unregistered.push_back(id); };
    });
    // The shell forks a grandchild and prints its pid.
    auto ids = h.sup->deploy(shell("sleep 1000 & echo grandchild=$!; wait"));
    ASSERT_TRUE(ids.ok());
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.output(id).find('\n') != std::string::npos; }));
    const pid_t grandchild = t::number_after(h.output(id), "grandchild=");
    ASSERT_GT(grandchild, 0);
    const pid_t child = h.row(id).pid;
    ASSERT_TRUE(t::alive(grandchild));

    auto row = h.sup->stop(id);
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(unregistered, std::vector<std::string>{id});
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::stopped; }));
    EXPECT_TRUE(h.run_until([&] { return !t::alive(grandchild) && !t::alive(child); }));
    EXPECT_EQ(h.count(supervisor_event::kind::restarting), 0);
    EXPECT_EQ(h.row(id).pid, 0);
}

TEST(Supervisor, AsSubreaperItReapsOrphansAndLeavesItsChildrenAlone) {
    t::harness h([](auto& options) { options.subreaper = true; });
    // The inner shell exits at once: its sleep is orphaned, and comes to us.
    auto ids = h.sup->deploy(shell("sh -c 'sleep 100 & echo orphan=$!'; exec sleep 100"));
    ASSERT_TRUE(ids.ok());
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.output(id).find('\n') != std::string::npos; }));
    const pid_t orphan = t::number_after(h.output(id), "orphan=");
    ASSERT_GT(orphan, 0);
    ASSERT_TRUE(h.run_until([&] {
        auto fields = t::stat_fields(orphan);
        return fields.size() > 1 && fields[1] == std::to_string(::getpid());
    }));
    ASSERT_EQ(::kill(orphan, SIGKILL), 0);
    // Gone from /proc altogether: reaped, not a zombie.
    EXPECT_TRUE(h.run_until([&] { return t::stat_fields(orphan).empty(); }));
    EXPECT_EQ(h.count(supervisor_event::kind::exited), 0);
    ASSERT_TRUE(h.sup->stop(id).ok());
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::stopped; }));
    EXPECT_EQ(h.row(id).last_exit, "signal SIGTERM");  // its status was not taken from it
}

TEST(Supervisor, AProcessThatIgnoresSigtermIsKilledAtTheStopTimeout) {
    t::harness h;
    auto spec = shell("trap '' TERM; echo ready; while :; do sleep 0.05; done");
    spec.stop_timeout = 300ms;
    auto ids = h.sup->deploy(spec);
    ASSERT_TRUE(ids.ok());
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.output(id).find("ready") != std::string::npos; }));
    ASSERT_TRUE(h.sup->stop(id).ok());
    EXPECT_EQ(h.row(id).state, process_state::stopping);
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::stopped; }));
    EXPECT_EQ(h.row(id).last_exit, "signal SIGKILL");
}

TEST(Supervisor, RestartRunsANewProcessAndUndeployForgetsIt) {
    t::harness h;
    auto ids = h.sup->deploy(shell("exec sleep 100"));
    ASSERT_TRUE(ids.ok());
    const auto id = ids->front();
    const pid_t first = h.row(id).pid;
    ASSERT_TRUE(h.sup->restart(id).ok());
    ASSERT_TRUE(h.run_until([&] { return h.row(id).pid != first && h.row(id).pid > 0; }));
    EXPECT_FALSE(t::alive(first));
    const pid_t second = h.row(id).pid;
    ASSERT_TRUE(h.sup->undeploy(id).ok());
    ASSERT_TRUE(h.run_until([&] { return h.sup->list().empty(); }));
    EXPECT_FALSE(t::alive(second));
    EXPECT_FALSE(h.sup->stop(id).ok());
}

// What a supervisor killed with skyd leaves: two running processes that
// write all the time, and one stopped. Their ids (the stopped one last) and
// pids.
void leave_behind(const std::filesystem::path& state_dir, std::vector<std::string>& ids,
                  std::map<std::string, pid_t>& pids) {
    t::harness old([&](auto& options) { options.state_dir = state_dir; });
    // Ignores SIGPIPE: while no skyd reads its pipe, writes fail, no more.
    auto spec = shell("trap '' PIPE; while :; do echo tick; sleep 0.05; done");
    spec.count = 2;
    auto deployed = old.sup->deploy(spec);
    ASSERT_TRUE(deployed.ok());
    ids = *deployed;
    auto stopped = old.sup->deploy(shell("exec sleep 100"));
    ASSERT_TRUE(stopped.ok());
    ASSERT_TRUE(old.sup->stop(stopped->front()).ok());
    ASSERT_TRUE(
        old.run_until([&] { return old.row(stopped->front()).state == process_state::stopped; }));
    ids.push_back(stopped->front());
    for (const auto& row : old.sup->list()) {
        pids[row.id] = row.pid;
    }
    old.sup->detach();  // as if skyd were killed
}

TEST(Supervisor, ANewSupervisorAdoptsWhatTheOldOneLeftRunning) {
    t::temp_dir state;
    std::vector<std::string> ids;
    std::map<std::string, pid_t> pids;
    ASSERT_NO_FATAL_FAILURE(leave_behind(state.path, ids, pids));
    ASSERT_EQ(ids.size(), 3u);
    t::harness fresh([&](auto& options) { options.state_dir = state.path; });
    ASSERT_FALSE(fresh.sup->load_error().has_value());
    EXPECT_EQ(fresh.count(supervisor_event::kind::adopted), 2);
    EXPECT_EQ(fresh.count(supervisor_event::kind::started), 0);
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(fresh.row(ids[i]).pid, pids[ids[i]]);
        EXPECT_EQ(fresh.row(ids[i]).state, process_state::running);
        EXPECT_EQ(t::processes_with_instance_id(ids[i]), 1) << ids[i];
        // Its output reaches the new supervisor's sink.
        EXPECT_TRUE(fresh.run_until(
            [&] { return fresh.output(ids[i]).find("tick") != std::string::npos; }));
    }
    EXPECT_EQ(fresh.row(ids[2]).state, process_state::stopped);
    EXPECT_EQ(t::processes_with_instance_id(ids[2]), 0);
    // An adopted process is stopped like any other.
    ASSERT_TRUE(fresh.sup->stop(ids[0]).ok());
    ASSERT_TRUE(fresh.run_until([&] { return fresh.row(ids[0]).state == process_state::stopped; }));
    EXPECT_EQ(t::processes_with_instance_id(ids[0]), 0);
}

TEST(Supervisor, AProgramRemovedAfterDeployFailsItsRestartsUntilCrashLooping) {
    t::temp_dir dir;
    const auto program = dir.path / "short-lived";
    std::ofstream(program) << "#!/bin/sh\nexit 1\n";
    std::filesystem::permissions(program, std::filesystem::perms::owner_all);
    t::harness h;
    process_spec spec;
    spec.argv = {program.string()};
    auto ids = h.sup->deploy(spec);
    ASSERT_TRUE(ids.ok()) << ids.err().detail;
    std::filesystem::remove(program);
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::crash_looping; }));
    EXPECT_NE(h.row(id).last_exit.find("not started"), std::string::npos) << h.row(id).last_exit;
    EXPECT_EQ(h.row(id).pid, 0);
}

TEST(Supervisor, AnUnregisteredProcessRunsOnWithAReasonAndItsRowInJson) {
    t::harness h(
        [](auto& options) { options.registered = [](const std::string&) { return false; }; });
    auto spec = shell("exec sleep 100");
    spec.service = "sleeper";
    auto ids = h.sup->deploy(spec);
    ASSERT_TRUE(ids.ok());
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.row(id).state == process_state::running; }));
    const auto json = h.row(id).to_json();
    EXPECT_EQ(json.at("state"), "running");
    EXPECT_EQ(json.at("service"), "sleeper");
    EXPECT_EQ(json.at("host"), "testhost");
    EXPECT_EQ(json.at("pid"), h.row(id).pid);
    EXPECT_EQ(json.at("argv").size(), 3u);
    EXPECT_GT(json.at("started_at").get<std::int64_t>(), 0);
    EXPECT_NE(json.at("reason").get<std::string>().find("not registered"), std::string::npos);
}

TEST(Supervisor, AProcessGoneWhileAwayIsStartedAgainUnderItsId) {
    t::temp_dir state;
    auto configure = [&](auto& options) { options.state_dir = state.path; };
    std::string id;
    {
        t::harness old(configure);
        auto deployed = old.sup->deploy(shell("echo run; exec sleep 100"));
        ASSERT_TRUE(deployed.ok());
        id = deployed->front();
        const pid_t pid = old.row(id).pid;
        old.sup->detach();
        ASSERT_EQ(::kill(-pid, SIGKILL), 0);
        ASSERT_TRUE(old.run_until([&] { return !t::alive(pid); }));
    }
    t::harness fresh(configure);
    EXPECT_EQ(fresh.count(supervisor_event::kind::adopted), 0);
    EXPECT_EQ(fresh.count(supervisor_event::kind::started), 1);
    EXPECT_TRUE(fresh.run_until([&] { return fresh.output(id).find("run") != std::string::npos; }));
    EXPECT_EQ(t::processes_with_instance_id(id), 1);
}

TEST(Supervisor, ShuttingDownEndsEveryRunButTheNextSupervisorStartsThemAgain) {
    t::temp_dir state;
    auto configure = [&](auto& options) { options.state_dir = state.path; };
    std::string id;
    {
        t::harness old(configure);
        auto deployed = old.sup->deploy(shell("echo run; exec sleep 100"));
        ASSERT_TRUE(deployed.ok());
        id = deployed->front();
        ASSERT_TRUE(old.run_until([&] { return old.row(id).pid > 0; }));
        const pid_t pid = old.row(id).pid;
        old.sup->shut_down();
        ASSERT_TRUE(old.run_until([&] { return old.sup->ended(); }));
        EXPECT_FALSE(t::alive(pid));
        EXPECT_EQ(old.row(id).state, process_state::stopped);
    }
    t::harness fresh(configure);
    EXPECT_EQ(fresh.count(supervisor_event::kind::started), 1);
    EXPECT_TRUE(fresh.run_until([&] { return fresh.row(id).pid > 0; }));
    EXPECT_EQ(t::processes_with_instance_id(id), 1);
}

TEST(Supervisor, ASavedPidThatNowNamesAnotherProcessIsNotAdopted) {
    t::temp_dir state;
    skynet::daemon::saved_process saved;
    saved.id = "svc-testhost-00000000abcd";
    saved.spec = shell("echo fresh; exec sleep 100");
    saved.pid = ::getpid();  // alive, but started at another time
    saved.start_time = 1;
    skynet::daemon::state_file(state.path).write({saved});
    t::harness h([&](auto& options) { options.state_dir = state.path; });
    EXPECT_EQ(h.count(supervisor_event::kind::adopted), 0);
    EXPECT_EQ(h.count(supervisor_event::kind::started), 1);
    EXPECT_NE(h.row(saved.id).pid, ::getpid());
    EXPECT_TRUE(h.run_until([&] { return h.output(saved.id).find("fresh") != std::string::npos; }));
    EXPECT_EQ(t::processes_with_instance_id(saved.id), 1);
}

TEST(Supervisor, LimitsAndTheSpecEnvironmentReachTheProcess) {
    t::harness h([](auto& options) { options.redis = "tcp://redis.example:6379"; });
    auto spec = shell("echo nofile=$(ulimit -n) host=$SKYNET_HOST redis=$SKYNET_REDIS end");
    spec.limits.nofile = 64;
    spec.env = {"SKYNET_HOST=elsewhere"};
    spec.restart = restart_policy::never;
    auto ids = h.sup->deploy(spec);
    ASSERT_TRUE(ids.ok()) << ids.err().detail;
    const auto id = ids->front();
    ASSERT_TRUE(h.run_until([&] { return h.output(id).find("end") != std::string::npos; }));
    EXPECT_NE(h.output(id).find("nofile=64 host=elsewhere redis=tcp://redis.example:6379"),
              std::string::npos)
        << h.output(id);
}

TEST(Supervisor, ABadStateFileIsReportedAndSetAside) {
    t::temp_dir state;
    std::ofstream(state.path / "processes.json") << "{\"processes\": [\n  nope\n]}\n";
    t::harness h([&](auto& options) { options.state_dir = state.path; });
    ASSERT_TRUE(h.sup->load_error().has_value());
    EXPECT_NE(h.sup->load_error()->detail.find(":2:"), std::string::npos)
        << h.sup->load_error()->detail;
    EXPECT_TRUE(h.sup->list().empty());
    bool aside = false;
    for (const auto& entry : std::filesystem::directory_iterator(state.path)) {
        aside = aside || entry.path().filename().string().rfind("processes.json.bad-", 0) == 0;
    }
    EXPECT_TRUE(aside);
}

}  // namespace
