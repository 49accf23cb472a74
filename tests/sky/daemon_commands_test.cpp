// The real `sky` binary's daemon commands (deploy, processes, stop routed to
// a managed instance's daemon, logs, a daemon that is not there) against a
// STAND-IN for skyd: a registrar of kind daemon in this test process that
// answers the named commands with canned JSON and records what it was sent.
// The tests with a real skyd come with skyd (issue 15).

#include <gtest/gtest.h>

#include <csignal>
#include <mutex>
#include <nlohmann/json.hpp>

#include "sky_fixture.hpp"
#include "skynet/sky/daemon_protocol.hpp"

namespace skynet::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string managed_id = "svc-h1-0123456789ab";

// A stand-in host daemon on host h1.
class stand_in_daemon {
public:
    stand_in_daemon(const registry::options& opts, std::string id) {
        registry::instance record;
        record.id = std::move(id);
        record.kind = registry::instance_kind::daemon;
        record.host = "h1";
        record.region = "eu";
        registry::registrar_settings settings;
        settings.lease = 3000ms;
        registrar_ = std::make_unique<registry::registrar>(opts, record, settings);
        registrar_->handle_commands(handlers());
    }
    bool ready() const { return registrar_->commands_subscribed(); }
    std::vector<json> received(const std::string& name) {
        std::lock_guard lock(mutex_);
        return received_[name];
    }
    // The ids `processes` lists (default: managed_id alone).
    void set_listed(std::vector<std::string> ids) {
        std::lock_guard lock(mutex_);
        listed_ = std::move(ids);
    }

private:
    registry::command_handlers handlers() {
        registry::command_handlers h;
        h.named["deploy"] = [this](const std::string& a) {
            auto request = note("deploy", a);
            if (request["argv"][0] == "/nope") {
                throw std::runtime_error("no such executable: /nope");
            }
            return json{{"ids", {managed_id}}}.dump();
        };
        h.named["processes"] = [this](const std::string& a) {
            note("processes", a);
            json rows = json::array();
            std::lock_guard lock(mutex_);
            for (const auto& id : listed_) {
                daemon::process_row row{.id = id,
                                        .service = "fib",
                                        .host = "h1",
                                        .state = daemon::process_state::running,
                                        .pid = 4242,
                                        .restarts = 2,
                                        .last_exit = "signal SIGKILL"};
                rows.push_back(row.to_json());
            }
            return json{{"host", "h1"}, {"processes", rows}}.dump();
        };
        h.named["stop"] = [this](const std::string& a) {
            auto request = note("stop", a);
            return json{{"id", request["id"]}, {"state", "stopped"}}.dump();
        };
        // Restarting is the test's: it registers the successor when it wants.
        h.named["restart"] = [this](const std::string& a) {
            auto request = note("restart", a);
            return json{{"id", request["id"]}, {"state", "starting"}}.dump();
        };
        h.named["logs"] = [this](const std::string& a) { return logs(a); };
        return h;
    }
    // Lines after a cursor are the newer ones: "hello 3" after c1, none after c2.
    std::string logs(const std::string& a) {
        auto request = note("logs", a);
        if (request["cursor"] == "c1") {
            return json{{"lines", {"hello 3"}}, {"cursor", "c2"}, {"dropped", 0}}.dump();
        }
        if (request["cursor"] == "c2") {
            return json{{"lines", json::array()}, {"cursor", "c2"}, {"dropped", 0}}.dump();
        }
        return json{{"lines", {"hello 1", "hello 2"}}, {"cursor", "c1"}, {"dropped", 0}}.dump();
    }

    json note(const std::string& name, const std::string& argument) {
        auto j = json::parse(argument);
        std::lock_guard lock(mutex_);
        received_[name].push_back(j);
        return j;
    }

    std::mutex mutex_;  // guards received_ and listed_: used on the command thread
    std::map<std::string, std::vector<json>> received_;
    std::vector<std::string> listed_{managed_id};
    std::unique_ptr<registry::registrar> registrar_;
};

class SkyDaemonTest : public SkyTest {
protected:
    void SetUp() override {
        daemon_ = std::make_unique<stand_in_daemon>(options(), "daemon-h1-1");
        ASSERT_TRUE(eventually([&] { return daemon_->ready(); }));
        ASSERT_TRUE(eventually([&] {
            auto c = registry::connection::open(options());
            auto found = c ? c->find(registry::query{.kind = registry::instance_kind::daemon})
                           : bus::result<std::vector<registry::instance>>{bus::error{}};
            return found.ok() && found->size() == 1;
        }));
    }
    std::unique_ptr<stand_in_daemon> daemon_;
};

TEST_F(SkyDaemonTest, DeployPrintsTheNewIdsPerHost) {
    auto r = sky({"deploy", "--host", "h1", "--count", "1", "--restart", "on-failure",
                  "/usr/bin/svc", "--redis", "redis://elsewhere:1", "-x"});
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "h1: " + managed_id + "\n");
    auto sent = daemon_->received("deploy");
    ASSERT_EQ(sent.size(), 1U);
    // The words after PATH are the program's, even those that look like sky's.
    EXPECT_EQ(sent[0]["argv"], json({"/usr/bin/svc", "--redis", "redis://elsewhere:1", "-x"}));
    EXPECT_EQ(sent[0]["restart"], "on-failure");
    EXPECT_EQ(sent[0]["count"], 1);
}

TEST_F(SkyDaemonTest, ADeployThatFailsSaysWhyAndExitsNonZero) {
    auto r = sky({"deploy", "/nope"});
    EXPECT_EQ(r.status, 5) << r.out << r.err;
    EXPECT_NE(r.err.find("h1: error: no such executable: /nope"), std::string::npos) << r.err;
    auto bad = sky({"deploy", "--restart", "sometimes", "/bin/true"});
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("--restart"), std::string::npos) << bad.err;
}

TEST_F(SkyDaemonTest, ProcessesListsWhatDaemonsManage) {
    auto r = sky({"processes"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("ID"), std::string::npos);
    EXPECT_NE(r.out.find(managed_id), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("running"), std::string::npos);
    EXPECT_NE(r.out.find("signal SIGKILL"), std::string::npos);
    auto j = sky({"processes", "--json"});
    ASSERT_EQ(j.status, 0) << j.err;
    auto parsed = json::parse(j.out);
    ASSERT_EQ(parsed["processes"].size(), 1U);
    EXPECT_EQ(parsed["processes"][0]["pid"], 4242);
    EXPECT_EQ(parsed["processes"][0]["restarts"], 2);
}

TEST_F(SkyDaemonTest, StopOfAManagedInstanceGoesToItsDaemon) {
    auto record = worker_record(managed_id, "fib", "1.0", "eu", "h1");
    record.managed_by = "daemon-h1-1";
    put(record);
    auto r = sky({"stop", "--service", "fib"});
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("h1/" + managed_id + ": stopped"), std::string::npos) << r.out;
    auto sent = daemon_->received("stop");
    ASSERT_EQ(sent.size(), 1U);  // listed by the daemon and live: asked once
    EXPECT_EQ(sent[0], json({{"id", managed_id}}));
}

registry::instance managed_record(const std::string& id, std::int64_t pid) {
    auto r = worker_record(id, "fib", "1.0", "eu", "h1");
    r.managed_by = "daemon-h1-1";
    r.pid = pid;
    return r;
}

// Each restart waits until the one before is registered again by a new
// process (here: the test writing its record with a new pid).
TEST_F(SkyDaemonTest, RollingRestartWaitsForEachSuccessor) {
    const std::string second_id = "svc-h1-ba9876543210";
    daemon_->set_listed({managed_id, second_id});
    put(managed_record(managed_id, 100));
    put(managed_record(second_id, 200));
    child_process rolling("sky", {"--redis", redis_.url(), "restart", "--rolling", "--service",
                                  "fib", "--timeout", "2s"});
    ASSERT_TRUE(eventually([&] { return daemon_->received("restart").size() == 1; }));
    const auto first = daemon_->received("restart").front()["id"].get<std::string>();
    EXPECT_TRUE(rolling.running());  // waiting for `first` to come back
    EXPECT_EQ(daemon_->received("restart").size(), 1U);
    put(managed_record(first, first == managed_id ? 101 : 201));
    ASSERT_TRUE(eventually([&] { return daemon_->received("restart").size() == 2; }));
    const auto second = daemon_->received("restart").back()["id"].get<std::string>();
    EXPECT_NE(first, second);
    put(managed_record(second, second == managed_id ? 101 : 201));
    auto status = rolling.wait_exit(20s);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(*status, 0) << rolling.stdout_text() << rolling.stderr_text();
    EXPECT_NE(rolling.stdout_text().find("restarted 2 of 2 instances"), std::string::npos)
        << rolling.stdout_text();
}

TEST_F(SkyDaemonTest, LogsArePrefixedWithHostAndId) {
    auto r = sky({"logs", "--tail", "5", "--grep", "hel+o"});
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "h1/" + managed_id + ": hello 1\nh1/" + managed_id + ": hello 2\n");
    auto sent = daemon_->received("logs");
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0]["tail"], 5);
    EXPECT_EQ(sent[0]["grep"], "hel+o");
    EXPECT_EQ(sent[0]["cursor"], "");
    auto bad = sky({"logs", "--grep", "("});
    EXPECT_EQ(bad.status, 2) << bad.err;
}

// -f asks again with the cursor of the last answer, prints only the newer
// lines, and ends on SIGINT with status 0.
TEST_F(SkyDaemonTest, LogsFollowUsesTheCursorUntilInterrupted) {
    child_process follow("sky", {"--redis", redis_.url(), "logs", "-f", managed_id});
    const std::string prefix = "h1/" + managed_id + ": ";
    ASSERT_TRUE(eventually([&] {
        return follow.stdout_text().find(prefix + "hello 3\n") != std::string::npos;
    })) << follow.stdout_text()
        << follow.stderr_text();
    ASSERT_TRUE(eventually([&] {
        auto sent = daemon_->received("logs");
        return !sent.empty() && sent.back()["cursor"] == "c2";
    }));
    follow.signal(SIGINT);
    auto status = follow.wait_exit(10s);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(*status, 0) << follow.stderr_text();
    EXPECT_EQ(follow.stdout_text(),
              prefix + "hello 1\n" + prefix + "hello 2\n" + prefix + "hello 3\n");
}

TEST_F(SkyDaemonTest, ADaemonThatIsNotThereIsNamed) {
    registry::instance ghost;
    ghost.id = "daemon-h9-ghost";
    ghost.kind = registry::instance_kind::daemon;
    ghost.host = "h9";
    put(ghost);  // a record, nobody behind it
    auto r = sky({"deploy", "--host", "h9", "--timeout", "500ms", "/bin/true"});
    EXPECT_EQ(r.status, 5) << r.out << r.err;
    EXPECT_NE(r.err.find("daemon daemon-h9-ghost on h9 is not listening"), std::string::npos)
        << r.err;
}

}  // namespace
}  // namespace skynet::testing
