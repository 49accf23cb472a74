// Our worker behind a plain 7/MDP broker that answers mmi.* as the
// reference Majordomo broker does (tests/support/plain_broker.hpp): its
// credit request is answered 501, it falls back to one request per
// connection on several connections, and announces the bare name that the
// broker's clients know (docs/design.md).
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_broker.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST(PlainBrokerPeer, OurWorkerFallsBackAndAnswersUnderItsBareName) {
    plain_broker other;
    auto options = fast_worker_options("echo", other.endpoint(), "1.0");
    options.heartbeat = scaled(250ms);  // the plain broker's interval, or slower
    options.concurrency = 4;
    worker w(options);
    gate release;
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    w.handle("Hold", [&](const request& req) {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        release.wait(req.deadline());
        --running;
        return bus::bson_doc::copy_of(req.params());
    });
    w.start();
    // One connection asked, heard 501, and three more joined it: four
    // READYs, each for the bare name, none for "echo@1.0".
    ASSERT_TRUE(eventually([&] { return other.workers("echo") == 4; })) << other.workers("echo");
    EXPECT_EQ(other.workers("echo@1.0"), 0);

    client c(fast_client_options(other.endpoint()));
    std::vector<std::future<call_result>> calls;
    for (int n = 0; n < 4; ++n) {
        bus::bson_doc params;
        params.add_int64("n", n);
        call_options call;
        call.timeout = generous;
        calls.push_back(c.call_future("echo", "Hold", params.view(), call));
    }
    // Four at once, so four connections, since the broker gives each one.
    EXPECT_TRUE(eventually([&] { return release.waiting() == 4; })) << release.waiting();
    release.open();
    for (int n = 0; n < 4; ++n) {
        auto outcome = calls[n].get();
        ASSERT_TRUE(outcome.ok()) << n << ": " << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_int64("n"), n);
    }
    EXPECT_EQ(most.load(), 4);
    EXPECT_EQ(w.stats().malformed, 0u);
}

}  // namespace
}  // namespace skynet::testing
