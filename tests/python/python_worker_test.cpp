// The Python worker (python/skynet/worker.py) behind our broker, called by
// the C++ client: results, error codes, deadlines and the credit.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <vector>

#include "python_worker_fixture.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_broker.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

call_options within(std::chrono::milliseconds timeout, bool idempotent = false) {
    call_options options;
    options.timeout = timeout;
    options.idempotent = idempotent;
    return options;
}

TEST(PythonWorker, AnswersTheCppClient) {
    running_broker broker;
    auto worker = start_python_worker(broker.endpoint());
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << worker->stderr_text();

    auto sum = c.call("pyfixture", "add", bus::bson_doc{}.add_int64("a", 2).add_int64("b", 40));
    ASSERT_TRUE(sum.ok()) << sum.err().detail;
    EXPECT_EQ(sum->result().get_int64("sum"), 42);
    // Announced as name@version: a call for that version reaches it.
    call_options versioned;
    versioned.version = "1.0";
    auto echoed = c.call("pyfixture", "echo", bus::bson_doc{}.add_string("text", "hi"), versioned);
    ASSERT_TRUE(echoed.ok()) << echoed.err().detail;
    EXPECT_EQ(echoed->result().get_string("text"), "hi");
}

TEST(PythonWorker, AnswersEachFailureWithItsCode) {
    running_broker broker;
    auto worker = start_python_worker(broker.endpoint());
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << worker->stderr_text();

    auto unknown = c.call("pyfixture", "no_such_method", bus::bson_doc{});
    EXPECT_EQ(unknown.code(), bus::errc::unknown_method);
    EXPECT_NE(unknown.err().detail.find("no_such_method"), std::string::npos);

    auto failed = c.call("pyfixture", "fail", bus::bson_doc{}.add_string("why", "boom"));
    EXPECT_EQ(failed.code(), bus::errc::service_error);
    EXPECT_NE(failed.err().detail.find("RuntimeError: boom"), std::string::npos)
        << failed.err().detail;

    auto refused = c.call("pyfixture", "refuse", bus::bson_doc{}.add_string("why", "no"));
    EXPECT_EQ(refused.code(), bus::errc::bad_request);
    EXPECT_NE(refused.err().detail.find("refused: no"), std::string::npos);

    // A handler that raised does not hurt the next call.
    EXPECT_TRUE(
        c.call("pyfixture", "add", bus::bson_doc{}.add_int64("a", 1).add_int64("b", 1)).ok());
}

TEST(PythonWorker, ASlowHandlerPastTheDeadlineIsTimeoutAndItsReplyDropped) {
    running_broker broker;
    auto worker = start_python_worker(broker.endpoint());
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << worker->stderr_text();

    auto slow = c.call("pyfixture", "sleep", bus::bson_doc{}.add_int64("ms", 1500), within(200ms));
    EXPECT_EQ(slow.code(), bus::errc::timeout);
    // The handler's reply comes later and is dropped: never a second outcome.
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 0; }));
    auto next = c.call("pyfixture", "add", bus::bson_doc{}.add_int64("a", 3).add_int64("b", 4));
    ASSERT_TRUE(next.ok()) << next.err().detail;
    EXPECT_EQ(next->result().get_int64("sum"), 7);
}

TEST(PythonWorker, ARequestThatExpiredWaitingForAThreadDoesNotRun) {
    running_broker broker;
    // One thread, four requests in flight: the second waits for the thread.
    auto worker = start_python_worker(broker.endpoint(), {"--concurrency", "1", "--credit", "4"});
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << worker->stderr_text();

    auto busy =
        c.call_future("pyfixture", "sleep", bus::bson_doc{}.add_int64("ms", 1000), within(10s));
    ASSERT_TRUE(eventually([&] { return broker.stats().in_flight == 1; }));
    auto expired = c.call("pyfixture", "counted", bus::bson_doc{}, within(200ms));
    EXPECT_EQ(expired.code(), bus::errc::timeout);
    EXPECT_TRUE(busy.get().ok());
    auto counts = c.call("pyfixture", "counts", bus::bson_doc{});
    ASSERT_TRUE(counts.ok()) << counts.err().detail;
    EXPECT_EQ(counts->result().get_int64("ran"), 0);
}

TEST(PythonWorker, HoldsItsCreditOfRequestsInFlight) {
    running_broker broker;
    constexpr int credit = 8;
    auto worker = start_python_worker(broker.endpoint(), {"--credit", std::to_string(credit)});
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "pyfixture")) << worker->stderr_text();

    // Each "gather" returns only once `credit` of them are held at once.
    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < credit; ++i) {
        calls.push_back(c.call_future("pyfixture", "gather", bus::bson_doc{}.add_int64("n", credit),
                                      within(20s)));
    }
    for (auto& f : calls) {
        auto outcome = f.get();
        ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_int64("peak"), credit);
    }
}

TEST(PythonWorker, BehindAPlainBrokerHoldsItsCreditOnMoreConnections) {
    plain_broker broker(100ms);
    constexpr int credit = 4;
    auto worker = start_python_worker(broker.endpoint(), {"--credit", std::to_string(credit)});
    // It answered mmi.credit with 501: one request per connection, so four
    // connections, each READY under the bare name its clients know.
    ASSERT_TRUE(eventually([&] { return broker.workers("pyfixture") == credit; }))
        << worker->stderr_text();
    client c(fast_client_options(broker.endpoint()));
    std::vector<std::future<call_result>> calls;
    for (int i = 0; i < credit; ++i) {
        calls.push_back(c.call_future("pyfixture", "gather", bus::bson_doc{}.add_int64("n", credit),
                                      within(20s)));
    }
    for (auto& f : calls) {
        auto outcome = f.get();
        ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_int64("peak"), credit);
    }
}

}  // namespace
}  // namespace skynet::testing
