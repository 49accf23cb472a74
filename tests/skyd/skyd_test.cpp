// skyd end to end: real redis-server, skynet-broker, skyd, sky and services.
// Restart delays are compressed (100 ms doubling to 400 ms) so that nothing
// waits minutes; the policy's own arithmetic is tested in tests/daemon.
#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "skyd_fixture.hpp"
#include "skynet/client/client.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::int64_t pid_of(const json& row) {
    return row.is_number() ? row.get<std::int64_t>() : 0;
}

// Idempotent fibonacci calls, one after another, on a thread of their own,
// counting what succeeded and what failed, until stopped.
class idempotent_load {
public:
    explicit idempotent_load(const std::string& redis) {
        client_options options;
        options.redis = redis;
        options.region = "r";
        options.heartbeat = 250ms;
        client_ = std::make_unique<client>(options);
        thread_ = std::thread([this] { run(); });
    }
    ~idempotent_load() { stop(); }
    void stop() {
        stopping_ = true;
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    int ok() const { return ok_.load(); }
    int failed() const { return failed_.load(); }
    const std::string& first_error() const { return first_error_; }  // after stop()

private:
    void run() {
        for (int i = 0; i < 100000 && !stopping_; ++i) {
            call_options options;
            options.idempotent = true;
            options.timeout = 20s;
            options.retries = 8;
            options.wait_for_ready = true;
            auto out =
                client_->call("fibonacci", "Index", bus::bson_doc{}.add_int32("n", 1), options);
            if (out.ok()) {
                ++ok_;
            } else {
                if (failed_++ == 0) {
                    first_error_ = std::string(to_string(out.code())) + " " + out.err().detail;
                }
            }
        }
    }
    std::unique_ptr<client> client_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> ok_{0};
    std::atomic<int> failed_{0};
    std::string first_error_;
    std::thread thread_;
};

bool registered_with_pid(const std::vector<registry::instance>& found, const std::string& id,
                         std::int64_t pid) {
    return std::any_of(found.begin(), found.end(),
                       [&](const registry::instance& r) { return r.id == id && r.pid == pid; });
}

TEST_F(SkydTest, AKilledServiceComesBackRegisteredWhileIdempotentCallsAllSucceed) {
    start_skyd("h1");
    const auto ids = deploy("h1", {bin("fibonacci-service")});
    ASSERT_EQ(ids.size(), 1u);
    const auto id = ids.front();
    ASSERT_TRUE(eventually(
        [&] { return registered_with_pid(registered("fibonacci"), id, pid_of(field(id, "pid"))); },
        30s));
    const auto managed = registered("fibonacci");
    ASSERT_EQ(managed.size(), 1u);
    EXPECT_EQ(managed.front().managed_by, "skyd-h1");

    idempotent_load load(redis_url());
    ASSERT_TRUE(eventually([&] { return load.ok() >= 20; }, 30s)) << load.first_error();
    const auto old_pid = pid_of(field(id, "pid"));
    ASSERT_GT(old_pid, 0);
    const auto killed_at = std::chrono::steady_clock::now();
    ASSERT_EQ(::kill(static_cast<pid_t>(old_pid), SIGKILL), 0);
    ASSERT_TRUE(eventually(
        [&] {
            const auto pid = pid_of(field(id, "pid"));
            return pid > 0 && pid != old_pid &&
                   registered_with_pid(registered("fibonacci"), id, pid);
        },
        30s));
    const auto back_in = std::chrono::steady_clock::now() - killed_at;
    std::cout << "killed service registered again after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(back_in).count() << " ms"
              << std::endl;
    const int before = load.ok();
    ASSERT_TRUE(eventually([&] { return load.ok() >= before + 20; }, 30s));
    load.stop();
    EXPECT_EQ(load.failed(), 0) << load.first_error();
    EXPECT_GE(field(id, "restarts").get<int>(), 1);
}

TEST_F(SkydTest, AStoppedServiceStaysStoppedUntilStarted) {
    start_skyd("h1");
    const auto id = deploy("h1", {bin("fibonacci-service")}).at(0);
    ASSERT_TRUE(eventually([&] { return !registered("fibonacci").empty(); }, 30s));
    const auto stopped = sky({"stop", id});
    ASSERT_EQ(stopped.status, 0) << stopped.out << stopped.err;
    ASSERT_TRUE(eventually([&] { return field(id, "state") == "stopped"; }, 30s));
    EXPECT_TRUE(eventually([&] { return registered("fibonacci").empty(); }, 30s));
    // Twenty restart delays later, still stopped and not running.
    const auto until = std::chrono::steady_clock::now() + 2s;
    int looks = 0;
    while (std::chrono::steady_clock::now() < until) {
        ASSERT_EQ(field(id, "state"), "stopped");
        ASSERT_EQ(pid_of(field(id, "pid")), 0);
        ++looks;
    }
    EXPECT_GT(looks, 0);
    const auto started = sky({"start", id});
    ASSERT_EQ(started.status, 0) << started.out << started.err;
    EXPECT_TRUE(eventually([&] { return !registered("fibonacci").empty(); }, 30s));
}

TEST_F(SkydTest, AProgramThatExitsAtOnceEndsCrashLoopingNotRestartedForever) {
    start_skyd("h1");
    const auto id = deploy("h1", {"/bin/false"}).at(0);
    ASSERT_TRUE(eventually([&] { return field(id, "state") == "crash-looping"; }, 60s))
        << processes()[id].dump();
    const auto restarts = field(id, "restarts").get<int>();
    EXPECT_GE(restarts, 5);
    const auto until = std::chrono::steady_clock::now() + 1s;
    while (std::chrono::steady_clock::now() < until) {
        ASSERT_EQ(field(id, "state"), "crash-looping");
    }
    EXPECT_EQ(field(id, "restarts").get<int>(), restarts);
    EXPECT_FALSE(field(id, "reason").get<std::string>().empty());
}

TEST_F(SkydTest, ASkydKilledAndRestartedAdoptsItsProcessesWithoutASecondCopy) {
    start_skyd("h1", {"--on-exit", "stop"});
    const std::string marker = "3000.4711";
    const auto ids = deploy("h1", {"/bin/sleep", marker}, {"--count", "2"});
    ASSERT_EQ(ids.size(), 2u);
    ASSERT_TRUE(eventually(
        [&] { return pid_of(field(ids[0], "pid")) > 0 && pid_of(field(ids[1], "pid")) > 0; }));
    const auto first = pid_of(field(ids[0], "pid"));
    const auto second = pid_of(field(ids[1], "pid"));
    for (int round = 0; round < 3; ++round) {
        kill_skyd("h1");
        ASSERT_EQ(::kill(static_cast<pid_t>(first), 0), 0) << "a process died with its skyd";
        start_skyd("h1");
        EXPECT_EQ(pid_of(field(ids[0], "pid")), first);
        EXPECT_EQ(pid_of(field(ids[1], "pid")), second);
        EXPECT_EQ(processes().size(), 2u);
    }
    // Stopping through the adopting skyd ends them.
    ASSERT_EQ(sky({"stop", ids[0], ids[1]}).status, 0);
    EXPECT_TRUE(eventually([&] { return !any_process_with(marker); }, 30s));
}

TEST_F(SkydTest, AStoppedServiceLeavesNoGrandchildBehind) {
    start_skyd("h1");
    const auto id = deploy("h1", {"/bin/sh", "-c", "sleep 4000.1234 & sleep 4000.1235"}).at(0);
    ASSERT_TRUE(eventually([&] {
        return any_process_with("sleep 4000.1234") && any_process_with("sleep 4000.1235");
    }));
    ASSERT_EQ(sky({"stop", id}).status, 0);
    EXPECT_TRUE(eventually(
        [&] {
            return !any_process_with("sleep 4000.1234") && !any_process_with("sleep 4000.1235");
        },
        30s));
}

TEST_F(SkydTest, LogsShowTheServicesOwnLinesAndFollowThem) {
    start_skyd("h1");
    const auto id =
        deploy("h1", {"/bin/sh", "-c",
                      "i=0; while [ $i -lt 100000 ]; do echo line-$i; i=$((i+1)); sleep 0.02; "
                      "done"})
            .at(0);
    ASSERT_TRUE(eventually([&] {
        const auto out = sky({"logs", "--tail", "5", id});
        return out.status == 0 && std::count(out.out.begin(), out.out.end(), '\n') == 5;
    }));
    const auto tail = sky({"logs", "--tail", "5", id});
    EXPECT_NE(tail.out.find("h1/" + id + ": line-"), std::string::npos) << tail.out;

    child_process follow("sky", {"--redis", redis_url(), "logs", "-f", "--tail", "1", id});
    ASSERT_TRUE(eventually(
        [&] {
            const auto out = follow.stdout_text();
            return std::count(out.begin(), out.end(), '\n') >= 10;
        },
        30s))
        << follow.stdout_text() << follow.stderr_text();
    EXPECT_NE(follow.stdout_text().find(": line-"), std::string::npos);
}

TEST_F(SkydTest, ARollingRestartUnderIdempotentLoadShowsNoError) {
    start_skyd("h1");
    const auto ids = deploy("h1", {bin("fibonacci-service")}, {"--count", "3"});
    ASSERT_EQ(ids.size(), 3u);
    ASSERT_TRUE(eventually([&] { return registered("fibonacci").size() == 3; }, 30s));
    std::map<std::string, std::int64_t> before;
    for (const auto& id : ids) {
        before[id] = pid_of(field(id, "pid"));
    }
    idempotent_load load(redis_url());
    ASSERT_TRUE(eventually([&] { return load.ok() >= 20; }, 30s)) << load.first_error();
    const auto rolled = sky({"--service", "fibonacci", "restart", "--rolling"}, 120s);
    EXPECT_EQ(rolled.status, 0) << rolled.out << rolled.err;
    const int after_roll = load.ok();
    ASSERT_TRUE(eventually([&] { return load.ok() >= after_roll + 20; }, 30s));
    load.stop();
    EXPECT_EQ(load.failed(), 0) << load.first_error();
    for (const auto& id : ids) {
        EXPECT_NE(pid_of(field(id, "pid")), before[id]) << id << " was not restarted";
    }
    EXPECT_EQ(registered("fibonacci").size(), 3u);
}

// Every deploy that skyd acknowledged survives a SIGKILL of skyd right
// after it (the state file is replaced atomically, never half written), and
// the next skyd neither loses one nor starts a second copy.
TEST_F(SkydTest, AcknowledgedDeploysSurviveSkydKilledRightAfterThem) {
    start_skyd("h1");
    const std::string marker = "3000.5813";
    std::vector<std::string> ids;
    for (int round = 0; round < 5; ++round) {
        const auto deployed = deploy("h1", {"/bin/sleep", marker});
        ASSERT_EQ(deployed.size(), 1u);
        ids.push_back(deployed.front());
        kill_skyd("h1");
        start_skyd("h1");
        const auto rows = processes();
        for (const auto& id : ids) {
            EXPECT_TRUE(rows.contains(id)) << id << " was lost in round " << round;
        }
        EXPECT_EQ(rows.size(), ids.size());
        const auto running = ids.size();
        EXPECT_TRUE(eventually([&] { return count_processes_with(marker) == running; }))
            << count_processes_with(marker) << " copies running, " << running << " deployed";
    }
    EXPECT_TRUE(std::filesystem::exists(dir() / "h1" / "state" / "processes.json"));
}

// Under systemd (Type=notify): READY=1 once it serves, WATCHDOG=1 pings when
// a watchdog is asked for. The notify socket is the test's own.
TEST_F(SkydTest, ItTellsSystemdItIsReadyAndPingsTheWatchdog) {
    notify_socket socket(dir() / "notify.sock");
    ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
    ::setenv("WATCHDOG_USEC", "400000", 1);
    start_skyd("h1");
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    std::string got;
    EXPECT_TRUE(eventually(
        [&] {
            got += socket.receive();
            return got.find("READY=1") != std::string::npos &&
                   got.find("WATCHDOG=1") != got.rfind("WATCHDOG=1");  // two pings at least
        },
        30s))
        << got;
    skyd("h1").signal(SIGTERM);
    EXPECT_TRUE(eventually(
        [&] {
            got += socket.receive();
            return got.find("STOPPING=1") != std::string::npos;
        },
        30s))
        << got;
}

// The deploy file starts what the host runs, once however often skyd reads
// it; a process past its pressure limit (here any memory at all) is taken
// out of rotation with the reason shown, and keeps running.
TEST_F(SkydTest, TheDeployFileStartsServicesAndPressureTakesOneOutOfRotation) {
    const auto file = dir() / "deploy.json";
    {
        std::ofstream out(file);
        out << R"({"processes": [{"argv": [")" << bin("fibonacci-service")
            << R"("], "pressure": {"rss_bytes": 1, "over_for_ms": 0, "under_for_ms": 600000}}]})";
    }
    start_skyd("h1", {"--deploy-file", file.string()});
    std::string id;
    ASSERT_TRUE(eventually(
        [&] {
            const auto rows = processes();
            if (rows.size() == 1) {
                id = rows.begin()->first;
            }
            return !id.empty() && field(id, "reason").get<std::string>().find("out of rotation") !=
                                      std::string::npos;
        },
        30s))
        << processes().size() << " processes";
    EXPECT_TRUE(eventually(
        [&] {
            auto c = registry::connection::open(registry_options());
            auto found = c ? c->get(id) : bus::result<std::optional<registry::instance>>(c.err());
            return found && found->has_value() && !(*found)->registered;
        },
        30s))
        << "the instance was not unregistered";
    EXPECT_EQ(field(id, "state"), "running");
    kill_skyd("h1");
    start_skyd("h1", {"--deploy-file", file.string()});
    EXPECT_EQ(processes().size(), 1u);  // read again, it starts nothing twice
}

// A broker that skyd runs registers under the id skyd gave it, owned by the
// daemon: so skyd counts it started once it is registered (not at the end of
// its start timeout, here ten minutes), and `sky` names its daemon.
TEST_F(SkydTest, ABrokerItRunsRegistersUnderItsIdAndCountsAsStartedOnceRegistered) {
    const auto file = dir() / "deploy.json";
    const auto endpoint = loopback_endpoint(free_port());
    {
        std::ofstream out(file);
        out << R"({"processes": [{"argv": [")" << bin("skynet-broker") << R"(", "--bind", ")"
            << endpoint << R"(", "--heartbeat-ms", "250"], "start_timeout_ms": 600000}]})";
    }
    start_skyd("h1", {"--deploy-file", file.string()});
    std::string id;
    ASSERT_TRUE(eventually(
        [&] {
            const auto rows = processes();
            id = rows.size() == 1 ? rows.begin()->first : "";
            return !id.empty() && field(id, "state") == "running";
        },
        60s))
        << "the broker is not running: " << (id.empty() ? json() : field(id, "state"));
    auto c = registry::connection::open(registry_options());
    ASSERT_TRUE(c) << c.err().detail;
    auto record = c->get(id);
    ASSERT_TRUE(record && record->has_value()) << "no record under the daemon's id " << id;
    EXPECT_EQ((*record)->kind, registry::instance_kind::broker);
    EXPECT_EQ((*record)->endpoint, endpoint);
    EXPECT_EQ((*record)->managed_by, "skyd-h1");
    EXPECT_EQ((*record)->host, "h1");  // skyd's SKYNET_HOST
}

// sky shows which daemon owns an instance, and each daemon with its host's figures.
TEST_F(SkydTest, SkyShowsWhichDaemonOwnsAnInstanceAndTheHostsFigures) {
    start_skyd("h1");
    const auto id = deploy("h1", {bin("fibonacci-service")}).at(0);
    ASSERT_TRUE(eventually([&] { return !registered("fibonacci").empty(); }, 30s));
    const auto listed = sky({"--service", "fibonacci", "instances"});
    EXPECT_NE(listed.out.find("MANAGED BY"), std::string::npos) << listed.out;
    std::string row;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(id, 0) == 0) {
            row = line;
        }
    }
    EXPECT_NE(row.find("skyd-h1"), std::string::npos) << listed.out;
    ASSERT_TRUE(eventually([&] {
        return sky({"topology"}).out.find("daemon skyd-h1  cpu ") != std::string::npos;
    })) << sky({"topology"}).out;
    const auto daemon = json::parse(sky({"--kind", "daemon", "instances", "--json"}).out);
    ASSERT_EQ(daemon.size(), 1u) << daemon.dump();
    EXPECT_GT(daemon[0]["host_figures"]["memory_total"].get<std::uint64_t>(), 0u) << daemon.dump();
    EXPECT_GT(daemon[0]["host_figures"]["cpus"].get<std::uint64_t>(), 0u) << daemon.dump();
}

TEST_F(SkydTest, ADeployOfAMissingProgramSaysSoAndFails) {
    start_skyd("h1");
    const auto out = sky({"--host", "h1", "deploy", "/nonexistent/service"});
    EXPECT_NE(out.status, 0);
    EXPECT_NE(out.err.find("/nonexistent/service"), std::string::npos) << out.err;
    EXPECT_TRUE(processes().empty());
}

}  // namespace
}  // namespace skynet::testing
