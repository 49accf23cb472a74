// sky steering real workers: fibonacci-service processes registered through
// `--redis URL --region R`, behind a real skynet-broker. These wait for the
// workers' own registration (and their command handlers): until a worker's
// record appears and answers commands, they skip and say so.

#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

class SkyWorkersTest : public SkyTest {
protected:
    void SetUp() override {
        endpoint_ = loopback_endpoint(free_port());
        broker_.emplace(
            "skynet-broker",
            std::vector<std::string>{"--bind", endpoint_, "--redis", redis_.url(), "--region", "eu",
                                     "--heartbeat-ms", "100", "--log-level", "warn"});
        a_ = start_worker("host-a");
        b_ = start_worker("host-b");
        ASSERT_TRUE(eventually([&] { return worker_count() == 2; }));
        // Subscribed to their commands: `log` reaches both.
        ASSERT_TRUE(eventually([&] {
            return sky({"log", "info", "--service", "fibonacci"}).status == 0;
        }));
        // `call` finds the broker through its record's services.
        ASSERT_TRUE(eventually([&] { return broker_serves_fibonacci(); }));
    }

    std::unique_ptr<child_process> start_worker(const std::string& host) {
        return std::make_unique<child_process>(
            "fibonacci-service",
            std::vector<std::string>{"--broker", endpoint_, "--redis", redis_.url(), "--region",
                                     "eu", "--host", host, "--heartbeat-ms", "100", "--log-level",
                                     "warn"});
    }

    std::size_t worker_count(std::optional<bool> registered = std::nullopt) const {
        auto found = connect().find({.service = "fibonacci", .registered = registered});
        return found ? found->size() : 0;
    }

    bool broker_serves_fibonacci() const {
        auto brokers = connect().find({.kind = registry::instance_kind::broker});
        if (!brokers || brokers->size() != 1) {
            return false;
        }
        const auto& served = brokers->front().services;
        return std::find(served.begin(), served.end(), "fibonacci") != served.end();
    }

    // fib(1) has no nested calls: it is served by the worker that gets it.
    int call_once() const {
        return sky({"call", "fibonacci", "Index", R"({"n": 1})", "--timeout", "1500ms"}).status;
    }

    std::string endpoint_;
    std::optional<child_process> broker_;
    std::unique_ptr<child_process> a_, b_;
};

TEST_F(SkyWorkersTest, UnregisterStopsNewWorkWhileOthersServeAndRegisterBringsItBack) {
    auto un = sky({"unregister", "--host", "host-a"});
    ASSERT_EQ(un.status, 0) << un.out << un.err;
    EXPECT_EQ(un.out, "1 instance will be unregistered.\nunregistered 1 of 1 instance\n");
    ASSERT_TRUE(eventually([&] { return worker_count(false) == 1; }, 1500ms));
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(call_once(), 0) << "host-b must keep serving";
    }
    EXPECT_TRUE(a_->running()) << "an unregistered worker stays alive";
    b_->signal(SIGKILL);  // now only the unregistered worker is left
    ASSERT_TRUE(eventually([&] { return call_once() != 0; }));
    for (int i = 0; i < 3; ++i) {
        EXPECT_NE(call_once(), 0) << "the broker sent work to an unregistered worker";
    }
    auto back = sky({"register", "--host", "host-a"});
    ASSERT_EQ(back.status, 0) << back.out << back.err;
    EXPECT_TRUE(eventually([&] { return call_once() == 0; }, 5s));
}

TEST_F(SkyWorkersTest, StopDrainsAndExits) {
    auto stop = sky({"stop", "--host", "host-a"});
    ASSERT_EQ(stop.status, 0) << stop.out << stop.err;
    EXPECT_EQ(stop.out, "1 instance will be stopped.\nstopped 1 of 1 instance\n");
    EXPECT_EQ(a_->wait_exit(10s), 0);
    EXPECT_TRUE(eventually([&] { return worker_count() == 1; }));
    EXPECT_EQ(call_once(), 0);
}

TEST_F(SkyWorkersTest, MethodsAndTopologyShowRealWorkers) {
    auto methods = sky({"methods", "--service", "fibonacci"});
    EXPECT_EQ(methods.out, "SERVICE        METHODS\nfibonacci@1.0  Index\n") << methods.err;
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(call_once(), 0);
    }
    // Workers publish their figures every few seconds.
    EXPECT_TRUE(eventually([&] {
        auto tree = nlohmann::json::parse(sky({"topology", "--json"}).out);
        std::uint64_t requests = 0;
        for (const auto& host : tree[0]["hosts"]) {
            for (const auto& service : host["services"]) {
                for (const auto& instance : service["instances"]) {
                    requests += instance["stats"]["requests"].get<std::uint64_t>();
                }
            }
        }
        return requests >= 5;
    }));
    auto text = sky({"topology", "--service", "fibonacci"}).out;
    EXPECT_NE(text.find("  host-a\n    fibonacci@1.0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("registered  requests="), std::string::npos) << text;
}

TEST_F(SkyWorkersTest, LogLevelChangesWithoutARestart) {
    auto r = sky({"log", "debug", "--service", "fibonacci"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "2 instances will change their log level.\nchanged 2 of 2 instances\n");
    EXPECT_TRUE(a_->running() && b_->running());
}

}  // namespace
}  // namespace skynet::testing
