// CURVE between real processes (issue #17): skynet-broker with --curve-key
// and --allow-keys, fibonacci-service with its own key, and clients with,
// without and with the wrong keys.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "key_dir.hpp"
#include "skynet/client/client.hpp"
#include "skynet/security/keys.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "tcp_relay.hpp"

namespace skynet::testing {
namespace {

namespace fs = std::filesystem;

class CurveProcessTest : public ::testing::Test {
protected:
    void SetUp() override {
        keys_.emplace("curve", std::vector<std::string>{"broker", "alice", "worker", "stranger"},
                      std::vector<std::string>{"alice", "worker"});
    }
    void TearDown() override {
        worker_.reset();
        broker_.reset();
        keys_.reset();
    }

    fs::path key(const std::string& file) const { return keys_->key(file); }

    // A broker (CURVE unless `plain`) and a fibonacci-service on it.
    void start(bool plain = false) {
        port_ = free_port();
        endpoint_ = loopback_endpoint(port_);
        std::vector<std::string> broker_args{"--bind", endpoint_,     "--heartbeat-ms",
                                             "100",    "--log-level", "warn"};
        std::vector<std::string> worker_args{"--broker", endpoint_,     "--heartbeat-ms",
                                             "100",      "--log-level", "warn"};
        if (!plain) {
            broker_args.insert(broker_args.end(), {"--curve-key", key("broker.key").string(),
                                                   "--allow-keys", keys_->allowed().string()});
            worker_args.insert(worker_args.end(), {"--curve-key", key("worker.key").string(),
                                                   "--broker-key", key("broker.pub").string()});
        }
        broker_.emplace("skynet-broker", broker_args);
        worker_.emplace("fibonacci-service", worker_args);
    }

    client_options options_for(const std::string& own, const std::string& broker_key,
                               const std::string& endpoint) {
        client_options o;
        o.brokers = {endpoint};
        o.heartbeat = std::chrono::milliseconds(100);
        if (!own.empty()) {
            keys_->apply(o, own, broker_key);
        }
        return o;
    }

    static call_result fib(client& c, std::int64_t n, std::chrono::milliseconds timeout) {
        call_options call;
        call.timeout = timeout;
        return c.call("fibonacci", "Index", bus::bson_doc().add_int64("n", n), call);
    }

    // True once an allowed client's call is answered: the broker and its
    // worker are up.
    bool serving(client& c) { return fib(c, 10, std::chrono::milliseconds(500)).ok(); }

    std::optional<key_dir> keys_;
    int port_ = 0;
    std::string endpoint_;
    std::optional<child_process> broker_;
    std::optional<child_process> worker_;
};

TEST_F(CurveProcessTest, AllowedClientCallsSyncAndAsyncWithBatches) {
    start();
    client alice(options_for("alice", "broker", endpoint_));
    ASSERT_TRUE(eventually([&] { return serving(alice); })) << broker_->stderr_text();
    auto sync = fib(alice, 20, generous);
    ASSERT_TRUE(sync.ok()) << sync.err().detail;
    EXPECT_EQ(sync->result().get_int64("result"), 6765);

    constexpr int calls = 500;  // in flight at once: batches, and the worker's credit
    std::atomic<int> right{0};
    std::atomic<int> done{0};
    for (int i = 0; i < calls; ++i) {
        alice.call_async("fibonacci", "Index", bus::bson_doc().add_int64("n", 3), {},
                         [&](call_result r) {
                             right += r.ok() && r->result().get_int64("result") == 2;
                             ++done;
                         });
    }
    ASSERT_TRUE(eventually([&] { return done.load() == calls; }));
    EXPECT_EQ(right.load(), calls);
}

TEST_F(CurveProcessTest, PlainUnknownAndWrongKeyClientsGetNoReply) {
    start();
    client alice(options_for("alice", "broker", endpoint_));
    ASSERT_TRUE(eventually([&] { return serving(alice); })) << broker_->stderr_text();
    const auto short_deadline = std::chrono::milliseconds(400);
    auto refused = [](const call_result& r) {
        return !r.ok() &&
               (r.err().code == bus::errc::unavailable || r.err().code == bus::errc::timeout);
    };
    client plain(options_for("", "", endpoint_));
    client stranger(options_for("stranger", "broker", endpoint_));
    client wrong_broker(options_for("alice", "stranger", endpoint_));
    for (auto* c : {&plain, &stranger, &wrong_broker}) {
        auto r = fib(*c, 10, short_deadline);
        EXPECT_TRUE(refused(r)) << (r.ok() ? std::string("answered") : r.err().detail);
    }
    auto still = fib(alice, 12, generous);
    ASSERT_TRUE(still.ok()) << still.err().detail;
    EXPECT_EQ(still->result().get_int64("result"), 144);
    EXPECT_TRUE(eventually([&] {
        return broker_->stderr_text().find(
                   "connection refused key=" +
                   security::fingerprint(keys_->pair("stranger").public_key)) != std::string::npos;
    })) << broker_->stderr_text();
    EXPECT_EQ(broker_->stderr_text().find(keys_->pair("stranger").secret_key), std::string::npos);
}

TEST_F(CurveProcessTest, SecretKeyReadableByOthersIsRefused) {
    fs::permissions(key("broker.key"), fs::perms(0644));
    auto broker = run_program(
        "skynet-broker", {"--bind", loopback_endpoint(free_port()), "--curve-key",
                          key("broker.key").string(), "--allow-keys", keys_->allowed().string()});
    EXPECT_EQ(broker.status, 2) << broker.err;
    EXPECT_NE(broker.err.find("mode 0644"), std::string::npos) << broker.err;
    fs::permissions(key("worker.key"), fs::perms(0640));
    auto worker = run_program("fibonacci-service", {"--broker", loopback_endpoint(free_port()),
                                                    "--curve-key", key("worker.key").string(),
                                                    "--broker-key", key("broker.pub").string()});
    EXPECT_EQ(worker.status, 2) << worker.err;
    EXPECT_NE(worker.err.find("mode 0640"), std::string::npos) << worker.err;
}

TEST_F(CurveProcessTest, SkyKeygenWritesAPrivateSecretAndAPublicKey) {
    const auto out = keys_->root() / "generated";
    fs::create_directories(out);
    auto made = run_program("sky", {"keygen", "bob", "--dir", out.string()});
    ASSERT_EQ(made.status, 0) << made.err;
    struct stat secret {};
    struct stat pub {};
    ASSERT_EQ(::stat((out / "bob.key").c_str(), &secret), 0);
    ASSERT_EQ(::stat((out / "bob.pub").c_str(), &pub), 0);
    EXPECT_EQ(secret.st_mode & 0777, 0600u);
    EXPECT_EQ(pub.st_mode & 0777, 0644u);
    const auto pair = security::load_secret_key_file(out / "bob.key");
    EXPECT_EQ(security::load_public_key_file(out / "bob.pub"), pair.public_key);
    EXPECT_NE(made.out.find(pair.public_key), std::string::npos) << made.out;
    EXPECT_EQ(made.out.find(pair.secret_key), std::string::npos) << "the secret was printed";
    auto again = run_program("sky", {"keygen", "bob", "--dir", out.string()});
    EXPECT_NE(again.status, 0);
    EXPECT_EQ(security::load_secret_key_file(out / "bob.key").secret_key, pair.secret_key);
}

// The bytes between client and broker, through a relay: the payload is
// readable on a plain connection and nowhere on a CURVE one.
class CurveWireTest : public CurveProcessTest, public ::testing::WithParamInterface<bool> {};

TEST_P(CurveWireTest, PayloadIsPlaintextOnlyWithoutCurve) {
    const bool curve = GetParam();
    start(!curve);
    tcp_relay relay(port_);
    client c(curve ? options_for("alice", "broker", loopback_endpoint(relay.port()))
                   : options_for("", "", loopback_endpoint(relay.port())));
    const std::string marker = "wire-marker-7c1e5";
    call_options call;
    call.timeout = std::chrono::milliseconds(500);
    call.metadata = {{"note", marker}};
    std::string last;
    ASSERT_TRUE(eventually([&] {
        auto r = c.call("fibonacci", "Index", bus::bson_doc().add_int64("n", 10), call);
        last = r.ok() ? "" : r.err().detail;
        return r.ok();
    })) << last
        << broker_->stderr_text() << worker_->stderr_text();
    const auto bytes = relay.recorded();
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(bytes.find(marker) != std::string::npos, !curve);
    EXPECT_EQ(bytes.find("fibonacci") != std::string::npos, !curve);
}

INSTANTIATE_TEST_SUITE_P(CurveAndPlain, CurveWireTest, ::testing::Values(true, false));

}  // namespace
}  // namespace skynet::testing
