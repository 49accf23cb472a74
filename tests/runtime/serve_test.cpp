// serve(): parts run until a signal or until one of them ends, then all of
// them drain; in real processes, SIGTERM loses no call in flight and a
// SIGTERM during start-up ends the process cleanly.
#include "skynet/runtime/serve.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/mmi_stats.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// A part that serves until stopped.
class waiting_part {
public:
    void run() {
        std::unique_lock lock(mutex_);
        ran_ = true;
        stopped_cv_.wait(lock, [&] { return stopped_; });
    }
    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        stopped_cv_.notify_all();
    }
    bool ran() {
        std::lock_guard lock(mutex_);
        return ran_;
    }

private:
    std::mutex mutex_;
    std::condition_variable stopped_cv_;
    bool stopped_ = false;
    bool ran_ = false;
};

TEST(ServeTest, APartThatEndsStopsTheOthers) {
    runtime::stop_signals signals;
    waiting_part first;
    waiting_part second;
    runtime::served_part ends{"ends", [] {}, [] {}};
    EXPECT_EQ(
        signals.serve({runtime::part_of(first, "first"), runtime::part_of(second, "second"), ends}),
        0);
    EXPECT_EQ(signals.last_signal(), 0);
}

TEST(ServeTest, APartThatThrowsStopsTheOthersAndFails) {
    runtime::stop_signals signals;
    waiting_part other;
    runtime::served_part throws{"throws", [] { throw std::runtime_error("cannot bind"); }, [] {}};
    EXPECT_EQ(signals.serve({throws, runtime::part_of(other, "other")}), 1);
    EXPECT_TRUE(other.ran());
}

TEST(ServeTest, APartWithoutStopIsRefused) {
    runtime::stop_signals signals;
    EXPECT_THROW(signals.serve({{"half", [] {}, nullptr}}), std::invalid_argument);
}

TEST(ServeTest, ABuildThatThrowsFails) {
    EXPECT_EQ(runtime::serve([]() -> std::vector<runtime::served_part> {
                  throw std::runtime_error("no such service");
              }),
              1);
}

// A file a child process waits for: the test creates it when the child may go on.
class flag_file {
public:
    flag_file()
        : path_(std::filesystem::temp_directory_path() /
                ("skynet-serve-test-" + std::to_string(::getpid()) + "-" +
                 std::to_string(counter_++))) {}
    ~flag_file() { std::filesystem::remove(path_); }
    const std::string& path() const { return path_; }
    void raise() const { std::ofstream(path_) << "go\n"; }

private:
    static inline int counter_ = 0;
    std::string path_;
};

std::vector<std::future<call_result>> four_holds(client& c) {
    call_options options;
    options.timeout = 60s;
    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < 4; ++i) {
        calls.push_back(c.call_future("holder", "Hold", bus::bson_view{}, options));
    }
    return calls;
}

void expect_all_held(std::vector<std::future<call_result>>& calls) {
    for (auto& call : calls) {
        auto done = call.get();
        ASSERT_TRUE(done.ok()) << bus::to_string(done.code()) << ": " << done.err().detail;
        EXPECT_EQ(done->result().get_int64("held"), 1);
    }
}

// SIGTERM to a child holding the calls; they are released only once it
// has taken the signal, so it drains all of them. It exits 0.
void sigterm_then_release(child_process& child, const flag_file& release,
                          std::vector<std::future<call_result>>& calls) {
    child.signal(SIGTERM);
    ASSERT_TRUE(eventually(
        [&] { return child.stderr_text().find("signal=SIGTERM") != std::string::npos; }));
    release.raise();
    expect_all_held(calls);
    EXPECT_EQ(child.wait_exit(generous), 0);
    if (::testing::Test::HasFailure()) {
        std::cerr << "the child said:\n" << child.stderr_text();
    }
}

TEST(ServeTest, SigtermDuringFourCallsEndsAllFourOk) {
    running_broker broker;
    flag_file release;
    child_process child("serve_child", {"worker", broker.endpoint(), release.path()});
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "holder"));
    auto calls = four_holds(c);
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 4; }));
    sigterm_then_release(child, release, calls);
    EXPECT_EQ(broker.stats().workers_lost, 0u);
}

TEST(ServeTest, SigtermDuringStartUpExitsCleanly) {
    running_broker broker;
    flag_file go;
    child_process child("serve_child", {"starting", broker.endpoint(), go.path()});
    ASSERT_TRUE(eventually([&] { return child.stdout_text() == "building\n"; }));
    child.signal(SIGTERM);
    go.raise();
    EXPECT_EQ(child.wait_exit(generous), 0) << child.stderr_text();
    EXPECT_NE(child.stderr_text().find("signal=SIGTERM"), std::string::npos);
}

TEST(ServeTest, SigtermToABrokerAndWorkerInOneProcessLosesNoCall) {
    flag_file release;
    child_process child("serve_child", {"both", release.path()});
    std::string endpoint;
    ASSERT_TRUE(eventually([&] {
        endpoint = child.stdout_text();
        return endpoint.ends_with("\n");
    }));
    endpoint.pop_back();
    client c(fast_client_options(endpoint));
    ASSERT_TRUE(wait_for_service(c, "holder"));
    auto calls = four_holds(c);
    ASSERT_TRUE(eventually([&] {
        auto stats = read_broker_stats(c);
        return stats && stats->in_flight == 4;
    }));
    sigterm_then_release(child, release, calls);
}

}  // namespace
}  // namespace skynet::testing
