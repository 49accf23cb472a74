// Many brokers per region (issue #19): a client that discovers its brokers
// spreads its calls over every broker of its region that serves the
// service, weighted by the load each publishes in its record; a broker
// added under load takes its share, and one stopped under load (SIGTERM)
// loses no call, idempotent or not. Real brokers, workers and Redis.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "fixture.hpp"
#include "skynet/bus/bson.hpp"
#include "skynet/client/client.hpp"
#include "support/eventually.hpp"
#include "support/mmi_stats.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// Every sleeper here but the one that blocks runs version 1, so that calls
// for it never land in the blocked one's queue.
const std::vector<std::string> sleeper_v1 = {"--version", "1", "--concurrency", "8"};

bool serves(registry_cluster& cluster, const std::string& endpoint, const std::string& service) {
    auto b = cluster.broker_at(endpoint);
    return b && b->registered &&
           std::find(b->services.begin(), b->services.end(), service) != b->services.end();
}

// Reads one broker's counters over mmi.stats, through a client of its own.
class broker_counter {
public:
    explicit broker_counter(const std::string& endpoint) : client_(options_for(endpoint)) {}

    // Worker replies it forwarded so far (mmi.* answers are not among them).
    std::uint64_t replies() {
        auto stats = read_broker_stats(client_);
        return stats ? stats->replies : 0;
    }

private:
    static client_options options_for(const std::string& endpoint) {
        client_options o;
        o.brokers = {endpoint};
        return o;
    }
    client client_;
};

client_options discovering(registry_cluster& cluster) {
    client_options o;
    o.redis = cluster.url();
    o.region = "eu";
    return o;
}

call_options sleeper_call(bool idempotent) {
    call_options o;
    o.version = "1";
    o.timeout = 20s;
    o.idempotent = idempotent;
    return o;
}

bus::bson_doc sleep_ms(std::int64_t ms) {
    bus::bson_doc params;
    params.add_int64("ms", ms);
    return params;
}

// Calls sleeper@1 Sleep {0} on its own thread, `width` at a time, until
// stopped; counts each call's outcomes, which must be exactly one.
class steady_load {
public:
    steady_load(client& c, bool idempotent, int width)
        : client_(c), options_(sleeper_call(idempotent)), width_(width) {
        thread_ = std::thread([this] { run(); });
    }
    ~steady_load() { stop(); }

    void stop() {
        stopping_ = true;
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    int issued() const { return issued_; }
    int ok() const { return ok_; }
    int outcomes() const { return outcomes_; }
    int twice() const { return twice_; }
    std::string failures() {
        std::lock_guard lock(mutex_);
        return failures_;
    }

private:
    void run() {
        while (!stopping_) {
            for (int i = 0; i < width_; ++i) {
                auto seen = std::make_shared<std::atomic<int>>(0);
                ++issued_;
                client_.call_async("sleeper", "Sleep", sleep_ms(0), options_,
                                   [this, seen](call_result r) { ended(*seen, std::move(r)); });
            }
            std::unique_lock lock(mutex_);
            done_.wait(lock, [&] { return outcomes_ >= issued_; });
        }
    }

    void ended(std::atomic<int>& seen, call_result r) {
        std::lock_guard lock(mutex_);
        if (seen.fetch_add(1) > 0) {
            ++twice_;
        }
        ++outcomes_;
        if (r.ok()) {
            ++ok_;
        } else if (failures_.size() < 400) {
            failures_ += std::string(bus::to_string(r.code())) + ": " + r.err().detail + "; ";
        }
        done_.notify_all();
    }

    client& client_;
    const call_options options_;
    const int width_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> issued_{0};
    std::mutex mutex_;
    std::condition_variable done_;
    int outcomes_ = 0;  // guarded by mutex_
    int ok_ = 0;        // guarded
    int twice_ = 0;     // guarded
    std::string failures_;
    std::thread thread_;
};

// What two brokers answered of `calls` sleeper@1 calls made one after
// another by a new discovering client (made once the counters have started,
// so that its first read of the registry is what it weighs by).
struct call_share {
    std::uint64_t first = 0, second = 0;
};

void share_calls(registry_cluster& cluster, const std::string& first, const std::string& second,
                 int calls, call_share& took) {
    broker_counter at_first(first);
    broker_counter at_second(second);
    const auto first0 = at_first.replies();
    const auto second0 = at_second.replies();
    client c(discovering(cluster));
    for (int i = 0; i < calls; ++i) {
        auto r = c.call("sleeper", "Sleep", sleep_ms(0), sleeper_call(false));
        ASSERT_TRUE(r.ok()) << bus::to_string(r.code()) << ": " << r.err().detail;
    }
    took = {at_first.replies() - first0, at_second.replies() - second0};
}

void expect_clean(steady_load& load) {
    EXPECT_GT(load.issued(), 0);
    EXPECT_EQ(load.outcomes(), load.issued());
    EXPECT_EQ(load.twice(), 0);
    EXPECT_EQ(load.ok(), load.issued()) << load.failures();
}

TEST(BrokerSpread, EveryBrokerOfTheRegionTakesAShare) {
    registry_cluster cluster;
    const auto a = cluster.start_broker("eu");
    const auto b = cluster.start_broker("eu");
    cluster.start_service("sleeper-service", "eu", sleeper_v1);
    ASSERT_TRUE(eventually(
        [&] { return serves(cluster, a, "sleeper@1") && serves(cluster, b, "sleeper@1"); }));
    constexpr int calls = 200;
    call_share took;
    ASSERT_NO_FATAL_FAILURE(share_calls(cluster, a, b, calls, took));
    const auto took_a = took.first;
    const auto took_b = took.second;
    RecordProperty("took_a", std::to_string(took_a));
    RecordProperty("took_b", std::to_string(took_b));
    EXPECT_EQ(took_a + took_b, static_cast<std::uint64_t>(calls));
    EXPECT_GE(took_a, calls / 5u) << "b took " << took_b;
    EXPECT_GE(took_b, calls / 5u) << "a took " << took_a;
}

TEST(BrokerSpread, ABrokerAddedUnderLoadTakesItsShare) {
    registry_cluster cluster;
    const auto a = cluster.start_broker("eu");
    cluster.start_service("sleeper-service", "eu", sleeper_v1);
    ASSERT_TRUE(eventually([&] { return serves(cluster, a, "sleeper@1"); }));
    client c(discovering(cluster));
    steady_load load(c, false, 4);
    broker_counter at_a(a);
    ASSERT_TRUE(eventually([&] { return at_a.replies() >= 50; }));

    const auto b = cluster.start_broker("eu");
    broker_counter at_b(b);
    // The worker finds it, then the client; a deadline, not a pace.
    EXPECT_TRUE(eventually([&] { return at_b.replies() >= 100; }, 30s))
        << "b took " << at_b.replies();
    load.stop();
    RecordProperty("calls", load.issued());
    RecordProperty("took_b", std::to_string(at_b.replies()));
    expect_clean(load);
}

TEST(BrokerSpread, ABrokerStoppedUnderLoadLosesNoCall) {
    registry_cluster cluster;
    const auto leaving = cluster.start_broker("eu");
    const auto staying = cluster.start_broker("eu");
    cluster.start_service("sleeper-service", "eu", sleeper_v1);
    ASSERT_TRUE(eventually([&] {
        return serves(cluster, leaving, "sleeper@1") && serves(cluster, staying, "sleeper@1");
    }));
    const auto pid = cluster.broker_at(leaving)->pid;
    broker_counter at_leaving(leaving);
    broker_counter at_staying(staying);
    client c(discovering(cluster));
    steady_load once(c, false, 4);
    steady_load twice_safe(c, true, 4);
    // Both brokers busy with both kinds of call before it goes.
    ASSERT_TRUE(
        eventually([&] { return at_leaving.replies() >= 100 && at_staying.replies() >= 100; }));

    ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGTERM), 0);
    EXPECT_TRUE(eventually([&] { return !cluster.broker_at(leaving); }, 30s))
        << "the stopped broker is still in the registry";
    const auto after = at_staying.replies();
    EXPECT_TRUE(eventually([&] { return at_staying.replies() >= after + 200; }));
    once.stop();
    twice_safe.stop();
    RecordProperty("not_idempotent", once.issued());
    RecordProperty("idempotent", twice_safe.issued());
    expect_clean(once);
    expect_clean(twice_safe);
}

TEST(BrokerSpread, ABrokerWithADeepQueueGetsFewerCalls) {
    registry_cluster cluster;
    const auto busy = cluster.start_broker("eu");
    const auto idle = cluster.start_broker("eu");
    cluster.start_service("sleeper-service", "eu", sleeper_v1);
    // A real queue on `busy`: one sleeper@9 of one thread, on that broker
    // only, given 40 long sleeps by a client of that broker alone.
    child_process blocked("sleeper-service", {"--broker", busy, "--version", "9", "--concurrency",
                                              "1", "--heartbeat-ms", "100", "--log-level", "warn"});
    ASSERT_TRUE(eventually([&] {
        return serves(cluster, busy, "sleeper@9") && serves(cluster, busy, "sleeper@1") &&
               serves(cluster, idle, "sleeper@1");
    }));
    client_options fixed_options;
    fixed_options.brokers = {busy};
    client fixed(fixed_options);
    call_options long_sleep;
    long_sleep.version = "9";
    long_sleep.timeout = 60s;
    for (int i = 0; i < 40; ++i) {
        fixed.call_async("sleeper", "Sleep", sleep_ms(50000), long_sleep, [](call_result) {});
    }
    // What the busy broker publishes: its queue.
    ASSERT_TRUE(eventually([&] {
        auto b = cluster.broker_at(busy);
        return b && b->load.queued >= 30;
    })) << "the busy broker never published its queue";
    EXPECT_EQ(cluster.broker_at(idle)->load.queued, 0u);

    constexpr int calls = 100;
    call_share took;  // busy's sleeper@9 answers nothing meanwhile
    ASSERT_NO_FATAL_FAILURE(share_calls(cluster, busy, idle, calls, took));
    const auto took_busy = took.first;
    const auto took_idle = took.second;
    RecordProperty("took_busy", std::to_string(took_busy));
    RecordProperty("took_idle", std::to_string(took_idle));
    EXPECT_EQ(took_busy + took_idle, static_cast<std::uint64_t>(calls));
    EXPECT_LT(took_busy, calls / 4u) << "idle took " << took_idle;
    EXPECT_GT(took_idle, calls / 2u) << "busy took " << took_busy;
}

}  // namespace
}  // namespace skynet::testing
