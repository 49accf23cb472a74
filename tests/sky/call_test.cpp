// sky call: through a real broker found in the registry, to a real
// fibonacci-service; distinct exit statuses for each way it can fail.

#include <signal.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "sky_fixture.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using nlohmann::json;

class SkyCallTest : public SkyTest {
protected:
    // A broker in `region` registered with Redis, and these services on it.
    void start_cluster(const std::string& region, const std::vector<std::string>& services,
                       const std::string& heartbeat_ms = "100") {
        endpoint_ = loopback_endpoint(free_port());
        broker_.emplace("skynet-broker",
                        std::vector<std::string>{"--bind", endpoint_, "--redis", redis_.url(),
                                                 "--region", region, "--heartbeat-ms", heartbeat_ms,
                                                 "--log-level", "warn"});
        for (const auto& service : services) {
            workers_.emplace_back(std::make_unique<child_process>(
                service + "-service",
                std::vector<std::string>{"--broker", endpoint_, "--heartbeat-ms", heartbeat_ms,
                                         "--log-level", "warn"}));
        }
        ASSERT_TRUE(eventually([&] { return broker_serves(services); }))
            << "the broker never listed " << services.size() << " services";
    }

    bool broker_serves(const std::vector<std::string>& services) const {
        auto brokers = connect().find({.kind = registry::instance_kind::broker});
        if (!brokers || brokers->size() != 1) {
            return false;
        }
        const auto& served = brokers->front().services;
        for (const auto& s : services) {
            if (std::find(served.begin(), served.end(), s) == served.end()) {
                return false;
            }
        }
        return true;
    }

    std::string endpoint_;
    std::optional<child_process> broker_;
    std::vector<std::unique_ptr<child_process>> workers_;
};

TEST_F(SkyCallTest, CallReturnsTheFibonacciAnswerAsJson) {
    start_cluster("eu", {"fibonacci"});
    auto r = sky({"call", "fibonacci", "Index", R"({"n": 20})"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(json::parse(r.out), json::parse(R"({"result": 6765})"));
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(SkyCallTest, AnotherRegionsBrokerServesWhenOursHasNone) {
    start_cluster("eu", {"fibonacci"});
    auto r = sky({"call", "--region", "us", "fibonacci", "Index", R"({"n": 10})"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["result"], 55);
}

TEST_F(SkyCallTest, EachFailureHasItsOwnExitStatus) {
    start_cluster("eu", {"fibonacci"});
    auto unknown = sky({"call", "nothing", "Index", "{}"});
    EXPECT_EQ(unknown.status, 12) << unknown.err;
    EXPECT_NE(unknown.err.find("no broker serves nothing"), std::string::npos) << unknown.err;

    auto bad = sky({"call", "fibonacci", "Index", R"({"n": 99})"});
    EXPECT_EQ(bad.status, 11) << bad.err;
    EXPECT_NE(bad.err.find("BAD_REQUEST"), std::string::npos) << bad.err;

    auto method = sky({"call", "fibonacci", "Dance", "{}"});
    EXPECT_EQ(method.status, 13) << method.err;
    EXPECT_TRUE(bad.out.empty() && method.out.empty());
}

TEST_F(SkyCallTest, ATimeoutHasItsOwnExitStatus) {
    // Slow heartbeats: the broker must not notice the frozen worker first.
    start_cluster("eu", {"sleeper"}, "2500");
    workers_.front()->signal(SIGSTOP);
    auto slow = sky({"call", "sleeper", "Sleep", R"({"ms": 1})", "--timeout", "300ms"});
    EXPECT_EQ(slow.status, 14) << slow.err;
    EXPECT_NE(slow.err.find("TIMEOUT"), std::string::npos) << slow.err;
    EXPECT_TRUE(slow.out.empty());
}

// A registered broker with a plain 7/MDP worker of "echo" behind it (one
// that prefixes its first frame with "plain:" and echoes the rest).
class SkyPlainCallTest : public SkyCallTest {
protected:
    void SetUp() override {
        start_cluster("eu", {});
        worker_.emplace(context_, endpoint_, "echo");
        ASSERT_TRUE(eventually([&] { return broker_serves({"echo"}); }))
            << "the broker never listed the plain echo worker";
    }

    zmq::context_t context_{1};
    std::optional<plain_worker> worker_;
};

TEST_F(SkyPlainCallTest, RawSendsPlainFramesAndPrintsTheReplysFrames) {
    auto r = sky({"call", "--raw", "echo", "hello", "world"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "plain:hello\nworld\n");
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_EQ(worker_->requests(), 1);
}

TEST_F(SkyPlainCallTest, RawWithoutAServiceIsBadUsage) {
    auto r = sky({"call", "--raw"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("call --raw SERVICE"), std::string::npos) << r.err;
}

TEST_F(SkyPlainCallTest, RawToAServiceNobodyServesHasItsOwnExitStatus) {
    auto r = sky({"call", "--raw", "nothing", "x"});
    EXPECT_EQ(r.status, 12) << r.err;
    EXPECT_NE(r.err.find("no broker serves nothing"), std::string::npos) << r.err;
}

// A plain service answers our envelope with frames that are not one: the
// client ends such a call at once with SERVICE_ERROR (docs/design.md,
// "Replies that are not our envelope"), and sky prints it and exits
// non-zero, long before the call's own timeout.
TEST_F(SkyPlainCallTest, AReplyThatIsNotOurEnvelopeEndsTheCallAtOnce) {
    auto r = sky({"call", "echo", "Echo", "{}", "--timeout", "120s"}, std::chrono::seconds(60));
    EXPECT_NE(r.status, 0) << r.err;
    EXPECT_NE(r.status, 14) << r.err;  // not TIMEOUT
    EXPECT_NE(r.status, -1) << "sky had to be killed: the call waited for its timeout";
    EXPECT_NE(r.err.find("call failed"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

}  // namespace
}  // namespace skynet::testing
