// The Python worker when things go wrong: SIGKILL under load (idempotent
// calls re-dispatched to another Python worker, the others WORKER_LOST) and
// SIGTERM (drained: what it holds is answered, exit 0).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

#include "python_worker_fixture.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

call_options faults_within(std::chrono::milliseconds timeout, bool idempotent) {
    call_options options;
    options.timeout = timeout;
    options.idempotent = idempotent;
    return options;
}

TEST(PythonWorkerFaults, IdempotentCallsSurviveASigkilledWorker) {
    running_broker broker;
    auto first = start_python_worker(broker.endpoint(), {"--credit", "4"});
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << first->stderr_text();
    auto second = start_python_worker(broker.endpoint(), {"--credit", "4"});
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 2; })) << second->stderr_text();

    // Calls keep coming while the first worker dies holding some.
    constexpr int total = 300;
    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < total; ++i) {
        calls.push_back(c.call_future("pyfixture", "sleep", bus::bson_doc{}.add_int64("ms", 5),
                                      faults_within(30s, true)));
        if (i == total / 3) {
            // More than one worker's credit held: the first holds some.
            ASSERT_TRUE(eventually([&] { return broker.stats().in_flight > 4; }));
            first->signal(SIGKILL);
        }
    }
    int ok = 0;
    for (auto& f : calls) {
        auto outcome = f.get();
        EXPECT_TRUE(outcome.ok()) << bus::to_string(outcome.code()) << ": " << outcome.err().detail;
        ok += outcome.ok() ? 1 : 0;
    }
    EXPECT_EQ(ok, total);
    EXPECT_GT(broker.stats().redispatched, 0u);  // what it held ran again on the second
    EXPECT_EQ(broker.stats().worker_lost_replies, 0u);
}

TEST(PythonWorkerFaults, CallsNotIdempotentEndWorkerLostWhenItsWorkerDies) {
    running_broker broker;
    auto worker = start_python_worker(broker.endpoint(), {"--credit", "4", "--concurrency", "4"});
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << worker->stderr_text();

    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < 4; ++i) {
        calls.push_back(c.call_future("pyfixture", "sleep", bus::bson_doc{}.add_int64("ms", 20000),
                                      faults_within(30s, false)));
    }
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 4; }));
    worker->signal(SIGKILL);
    for (auto& f : calls) {
        EXPECT_EQ(f.get().code(), bus::errc::worker_lost);
    }
}

TEST(PythonWorkerFaults, SigtermDrainsWhatItHoldsAndExitsZero) {
    running_broker broker;
    auto worker = start_python_worker(broker.endpoint(), {"--credit", "4", "--concurrency", "4"});
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << worker->stderr_text();

    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < 4; ++i) {
        calls.push_back(c.call_future("pyfixture", i % 2 == 0 ? "sleep" : "asleep",
                                      bus::bson_doc{}.add_int64("ms", 1000),
                                      faults_within(30s, false)));
    }
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 4; }));
    worker->signal(SIGTERM);
    for (auto& f : calls) {
        auto outcome = f.get();
        EXPECT_TRUE(outcome.ok()) << bus::to_string(outcome.code()) << ": " << outcome.err().detail;
    }
    EXPECT_EQ(worker->wait_exit(generous), 0) << worker->stderr_text();
    EXPECT_NE(worker->stdout_text().find("worker exited cleanly"), std::string::npos);
    // It said goodbye: the broker has no worker left, without waiting for silence.
    EXPECT_TRUE(wait_for_no_service(c, "pyfixture"));
}

}  // namespace
}  // namespace skynet::testing
