// register, unregister, stop, restart and log through the command channel:
// how many acted, who failed and who did not answer. The instances here are
// registrars taking commands (the formatting and counting); the same
// commands acting on real workers are in workers_test.cpp.

#include <atomic>
#include <memory>
#include <mutex>

#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// A registered instance that counts what it is told.
struct fake_instance {
    std::atomic<int> stops{0}, registers{0}, unregisters{0}, restarts{0};
    std::mutex mutex;
    std::string level;
    std::unique_ptr<registry::registrar> registrar;

    fake_instance(const registry::options& opts, registry::instance record) {
        registrar = std::make_unique<registry::registrar>(opts, std::move(record));
        registrar->handle_commands({[this] { ++registers; }, [this] { ++unregisters; },
                                    [this] { ++stops; }, [this] { ++restarts; },
                                    [this](const std::string& l) {
                                        std::lock_guard lock(mutex);
                                        level = l;
                                        return true;
                                    }});
    }
    bool ready() const { return registrar->online() && registrar->commands_subscribed(); }
};

class SkySteeringTest : public SkyTest {
protected:
    void SetUp() override {
        f1_ = std::make_unique<fake_instance>(options(),
                                              worker_record("f1", "fibonacci", "1.0", "eu", "h1"));
        f2_ = std::make_unique<fake_instance>(options(),
                                              worker_record("f2", "fibonacci", "1.1", "eu", "h2"));
        e1_ = std::make_unique<fake_instance>(options(),
                                              worker_record("e1", "echo", "1.0", "us", "h3"));
        ASSERT_TRUE(eventually([&] { return f1_->ready() && f2_->ready() && e1_->ready(); }));
    }
    std::unique_ptr<fake_instance> f1_, f2_, e1_;
};

TEST_F(SkySteeringTest, StopReachesTheMatchingInstancesAndCountsThem) {
    auto r = sky({"stop", "--service", "fibonacci"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "2 instances will be stopped.\nstopped 2 of 2 instances\n");
    EXPECT_EQ(f1_->stops, 1);
    EXPECT_EQ(f2_->stops, 1);
    EXPECT_EQ(e1_->stops, 0);
}

TEST_F(SkySteeringTest, InstancesThatDoNotAnswerAreNamed) {
    put(worker_record("ghost", "fibonacci", "1.0", "eu", "h9"));  // a record, nobody behind it
    auto r = sky({"restart", "--region", "eu", "--timeout", "500ms"});
    EXPECT_EQ(r.status, 5) << r.err;
    EXPECT_EQ(r.out,
              "3 instances will be restarted.\nrestarted 2 of 3 instances\n"
              "not managed by skyd: they exit, and come back only if something restarts them "
              "(sky deploy runs a service under skyd)\n"
              "no answer within 500 ms: ghost\n");
    EXPECT_EQ(f1_->restarts + f2_->restarts, 2);
}

TEST_F(SkySteeringTest, FailuresAreReportedWithTheirReason) {
    f1_->registrar->handle_commands({.unregister = [] { throw std::runtime_error("busy"); }});
    auto r = sky({"unregister", "--version", "1.0", "--service", "fibonacci"});
    EXPECT_EQ(r.status, 5);
    EXPECT_EQ(r.out,
              "1 instance will be unregistered.\nfailed: f1: busy\n"
              "unregistered 0 of 1 instance\n");
}

TEST_F(SkySteeringTest, RegisterUnregisterAndLogReachTheirTargets) {
    auto un = sky({"unregister", "--host", "h3"});
    EXPECT_EQ(un.status, 0) << un.err;
    EXPECT_EQ(e1_->unregisters, 1);
    auto all = sky({"register", "--all"});
    EXPECT_EQ(all.status, 0) << all.err;
    EXPECT_EQ(all.out, "3 instances will be registered.\nregistered 3 of 3 instances\n");
    auto log = sky({"log", "debug", "--service", "echo"});
    EXPECT_EQ(log.status, 0) << log.err;
    std::lock_guard lock(e1_->mutex);
    EXPECT_EQ(e1_->level, "debug");
    EXPECT_EQ(f1_->unregisters + f2_->unregisters, 0);
}

}  // namespace
}  // namespace skynet::testing
