#include "schedule.hpp"

#include "support/eventually.hpp"

namespace skynet::testing::chaos {

using namespace std::chrono_literals;

namespace {
// Long enough for brokers on a loaded machine to see every change; short
// enough that a round takes well under half a minute.
constexpr auto recovery_limit = 20s;
constexpr auto calm = 1500ms;        // traffic flows undisturbed between steps
constexpr auto frozen_for = 1500ms;  // past liveness (3 x 200 ms), several times over
constexpr auto broker_down_for = 2500ms;
}  // namespace

schedule::schedule(cluster& c, std::chrono::seconds chaos_for,
                   std::function<void(const std::string&)> note)
    : cluster_(c), end_(std::chrono::steady_clock::now() + chaos_for), note_(std::move(note)) {
    thread_ = std::thread([this] { run(); });
}

schedule::~schedule() {
    join();
}

void schedule::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool schedule::due() const {
    return std::chrono::steady_clock::now() < end_;
}

void schedule::pause(std::chrono::milliseconds how_long) {
    // The schedule's tempo, not a wait for something to happen: traffic
    // flows meanwhile and the chaos is the point.
    std::this_thread::sleep_for(how_long);
}

void schedule::recover(const char* after) {
    if (!eventually([&] { return cluster_.ready(); }, recovery_limit)) {
        ++counts_.slow_recoveries;
        note_(std::string("cluster not ready ") + std::to_string(recovery_limit.count()) +
              " s after " + after);
    }
}

void schedule::run() {
    recover("start");
    for (int n = 0; due(); ++n) {
        round(n);
        ++counts_.rounds;
    }
    restart_all();
}

void schedule::round(int n) {
    const int killed = n % 2 == 0 ? 0 : 2;
    const int frozen = n % 2 == 0 ? 1 : 3;
    note_("round " + std::to_string(n) + ": SIGKILL worker-" + std::to_string(killed));
    cluster_.kill_worker(killed);
    ++counts_.worker_kills;
    pause(calm);
    note_("round " + std::to_string(n) + ": SIGSTOP worker-" + std::to_string(frozen));
    cluster_.freeze_worker(frozen, frozen_for);
    ++counts_.worker_freezes;
    recover("a kill and a freeze");
    pause(calm);
    note_("round " + std::to_string(n) + ": SIGKILL broker-1");
    cluster_.kill_broker(1);
    ++counts_.broker_kills;
    pause(broker_down_for);
    cluster_.start_broker(1);
    recover("a broker restart");
    pause(calm);
    note_("round " + std::to_string(n) + ": restart redis");
    cluster_.restart_redis();
    ++counts_.redis_restarts;
    recover("a Redis restart");
    pause(calm);
}

// One process at a time, waiting for recovery in between, so that a broker
// and the workers of the service are always there for the traffic.
void schedule::restart_all() {
    note_("rolling restart of every process");
    for (int i = 0; i < broker_count; ++i) {
        cluster_.restart_broker(i);
        ++counts_.graceful_restarts;
        recover("a graceful broker restart");
    }
    for (int i = 0; i < worker_count; ++i) {
        cluster_.restart_worker(i);
        ++counts_.graceful_restarts;
        recover("a graceful worker restart");
    }
}

}  // namespace skynet::testing::chaos
