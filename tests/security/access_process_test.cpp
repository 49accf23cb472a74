// Access rules between real processes (issue #17): a CURVE skynet-broker
// with --allow-keys and --access, a fibonacci-service, an in-process worker
// whose key may not offer its service, and clients whose keys may call some
// services and not others; SIGHUP reloads of the keys and of the rules.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "key_dir.hpp"
#include "skynet/client/client.hpp"
#include "skynet/security/keys.hpp"
#include "skynet/worker/worker.hpp"
#include "support/eventually.hpp"
#include "support/mmi_stats.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

namespace fs = std::filesystem;

// fibonacci-service runs as "worker" (it calls itself for n-1 and n-2, so
// it may call fibonacci too); "rogue" may offer only "ledger";
// "alice" may call billing and fibonacci, "bob" only fibonacci.
constexpr const char* rules_text =
    "allow worker offer fibonacci\n"
    "allow worker call  fibonacci\n"
    "allow rogue  offer ledger\n"
    "allow alice  call billing fibonacci\n"
    "allow bob    call fibonacci   # not billing\n";

class AccessProcessTest : public ::testing::Test {
protected:
    void SetUp() override {
        keys_.emplace("access",
                      std::vector<std::string>{"broker", "alice", "bob", "worker", "rogue"},
                      std::vector<std::string>{"alice", "bob", "worker", "rogue"});
        write_rules(rules_text);
        endpoint_ = loopback_endpoint(free_port());
        broker_.emplace("skynet-broker",
                        std::vector<std::string>{
                            "--bind", endpoint_, "--heartbeat-ms", "100", "--log-level", "warn",
                            "--curve-key", keys_->key("broker.key").string(), "--allow-keys",
                            keys_->allowed().string(), "--access", rules_file().string()});
        fib_worker_.emplace(
            "fibonacci-service",
            std::vector<std::string>{"--broker", endpoint_, "--heartbeat-ms", "100", "--log-level",
                                     "warn", "--curve-key", keys_->key("worker.key").string(),
                                     "--broker-key", keys_->key("broker.pub").string()});
    }
    void TearDown() override {
        fib_worker_.reset();
        broker_.reset();
        keys_.reset();
    }

    fs::path rules_file() const { return keys_->root() / "rules.acl"; }
    void write_rules(const std::string& text) const { std::ofstream(rules_file()) << text; }

    client_options as(const std::string& name) {
        client_options o;
        o.brokers = {endpoint_};
        o.heartbeat = std::chrono::milliseconds(100);
        keys_->apply(o, name, "broker");
        return o;
    }

    static call_result fib(client& c, std::chrono::milliseconds timeout = generous) {
        call_options call;
        call.timeout = timeout;
        return c.call("fibonacci", "Index", bus::bson_doc().add_int64("n", 10), call);
    }
    static call_result billing(client& c, std::chrono::milliseconds timeout = generous) {
        call_options call;
        call.timeout = timeout;
        return c.call("billing", "Charge", bus::bson_doc().add_int64("cents", 5), call);
    }
    static std::string why(const call_result& r) {
        return r.ok() ? std::string("OK") : r.err().detail;
    }

    // Once a client's fibonacci call is answered, broker and worker are up.
    void wait_serving(client& c) {
        ASSERT_TRUE(eventually([&] { return fib(c, std::chrono::milliseconds(500)).ok(); }))
            << broker_->stderr_text();
    }

    std::optional<key_dir> keys_;
    std::string endpoint_;
    std::optional<child_process> broker_;
    std::optional<child_process> fib_worker_;
};

TEST_F(AccessProcessTest, WorkerMayNotOfferIsDisconnectedAndNeverServes) {
    client alice(as("alice"));
    wait_serving(alice);
    std::atomic<int> handled{0};
    worker_options wo;
    wo.service = "billing";
    wo.brokers = {endpoint_};
    wo.heartbeat = std::chrono::milliseconds(100);
    keys_->apply(wo, "rogue", "broker");
    worker rogue(wo);
    rogue.handle("Charge", [&](const request&) {
        ++handled;
        return bus::bson_doc();
    });
    rogue.start();
    ASSERT_TRUE(eventually([&] {
        auto stats = read_broker_stats(alice);
        return stats && stats->offers_refused >= 1;
    })) << broker_->stderr_text();
    for (int i = 0; i < 3; ++i) {
        auto r = billing(alice, std::chrono::milliseconds(500));
        ASSERT_FALSE(r.ok());
        EXPECT_TRUE(r.err().code == bus::errc::unknown_service ||
                    r.err().code == bus::errc::unavailable || r.err().code == bus::errc::timeout)
            << why(r);
        auto allowed = fib(alice);  // the allowed worker serves meanwhile
        EXPECT_TRUE(allowed.ok()) << why(allowed);
    }
    EXPECT_EQ(handled.load(), 0);
    auto stats = read_broker_stats(alice);
    ASSERT_TRUE(stats);
    EXPECT_GE(stats->offers_refused, 1u);
}

TEST_F(AccessProcessTest, RequestNotAllowedIsUnauthorizedOthersAreServed) {
    client bob(as("bob"));
    wait_serving(bob);
    auto refused = billing(bob);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.err().code, bus::errc::unauthorized) << why(refused);
    EXPECT_NE(refused.err().detail.find("'billing'"), std::string::npos) << why(refused);
    auto allowed = fib(bob);
    ASSERT_TRUE(allowed.ok()) << why(allowed);
    EXPECT_EQ(allowed->result().get_int64("result"), 55);
    auto stats = read_broker_stats(bob);
    ASSERT_TRUE(stats);
    EXPECT_GE(stats->unauthorized, 1u);
}

TEST_F(AccessProcessTest, KeyRemovedThenSighupCutsThatClientOff) {
    client alice(as("alice"));
    client bob(as("bob"));
    wait_serving(alice);
    wait_serving(bob);
    fs::remove(keys_->allowed() / "bob.pub");
    broker_->signal(SIGHUP);
    std::string last;
    EXPECT_TRUE(eventually([&] {
        auto r = fib(bob, std::chrono::milliseconds(500));
        last = why(r);
        return !r.ok();
    })) << "bob still served after his key was removed: "
        << broker_->stderr_text();
    for (int i = 0; i < 3; ++i) {
        auto still = fib(alice);
        EXPECT_TRUE(still.ok()) << why(still);
        auto cut = fib(bob, std::chrono::milliseconds(500));
        ASSERT_FALSE(cut.ok()) << "bob answered again after the reload";
        // docs/security.md: a key no longer allowed gets UNAUTHORIZED.
        EXPECT_EQ(cut.err().code, bus::errc::unauthorized) << why(cut);
    }
    EXPECT_TRUE(broker_->running());
}

TEST_F(AccessProcessTest, MalformedRulesOnSighupKeepTheOldRules) {
    client bob(as("bob"));
    wait_serving(bob);
    write_rules(
        "allow worker offer fibonacci\nallow bob call fibonacci billing\n"
        "allow bob serve billing\n");
    broker_->signal(SIGHUP);
    ASSERT_TRUE(eventually([&] {
        return broker_->stderr_text().find("access rules not reloaded") != std::string::npos;
    })) << broker_->stderr_text();
    EXPECT_NE(broker_->stderr_text().find("line 3"), std::string::npos) << broker_->stderr_text();
    EXPECT_TRUE(broker_->running());
    auto allowed = fib(bob);
    EXPECT_TRUE(allowed.ok()) << why(allowed);
    auto refused = billing(bob);  // the bad file would have allowed it: the old rules hold
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.err().code, bus::errc::unauthorized) << why(refused);
    EXPECT_TRUE(broker_->running());
}

}  // namespace
}  // namespace skynet::testing
