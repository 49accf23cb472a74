// Params the caller hands over (a bson_doc by value): the document's buffer
// becomes the request's frame, and every way of calling gets the same
// answer as with a view, small calls in batch frames and large ones alone.
#include <gtest/gtest.h>

#include <string>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// `pad` bytes of padding: past libbson's inline 120 bytes its buffer is
// handed over, and past a batch record's limit the call travels alone.
bus::bson_doc params_of(std::int64_t i, std::size_t pad) {
    bus::bson_doc doc;
    doc.add_int64("i", i);
    doc.add_string("pad", std::string(pad, 'x'));
    return doc;
}

bool echoes(const call_result& outcome, std::int64_t i, std::size_t pad) {
    return outcome.ok() && outcome->result().get_int64("i") == i &&
           outcome->result().get_string("pad").value_or("").size() == pad;
}

call_options patient_and_idempotent() {
    call_options options;
    options.timeout = 30s;
    options.idempotent = true;
    options.retries = 3;
    return options;
}

class HandedOver : public ::testing::TestWithParam<std::size_t> {};

TEST_P(HandedOver, EveryWayOfCallingGetsItsOwnParamsBack) {
    const auto pad = GetParam();
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto echo = start_echo_worker(broker.endpoint(), "echo", 8);
    ASSERT_TRUE(wait_for_service(c, "echo"));
    const auto replies_before = c.stats().replies;

    EXPECT_TRUE(
        echoes(c.call("echo", "Echo", params_of(1, pad), patient_and_idempotent()), 1, pad));
    auto thrown = c.call_or_throw("echo", "Echo", params_of(2, pad), patient_and_idempotent());
    EXPECT_EQ(thrown.result().get_int64("i"), 2);
    auto future = c.call_future("echo", "Echo", params_of(3, pad), patient_and_idempotent());
    EXPECT_TRUE(echoes(future.get(), 3, pad));
    std::promise<call_result> answered;
    c.call_async("echo", "Echo", params_of(4, pad), patient_and_idempotent(),
                 [&answered](call_result r) { answered.set_value(std::move(r)); });
    EXPECT_TRUE(echoes(answered.get_future().get(), 4, pad));
    // Many at once, so that batch frames carry several.
    std::vector<std::future<call_result>> many;
    for (int i = 0; i < 100; ++i) {
        many.push_back(
            c.call_future("echo", "Echo", params_of(100 + i, pad), patient_and_idempotent()));
    }
    int right = 0;
    for (int i = 0; i < 100; ++i) {
        right += echoes(many[static_cast<std::size_t>(i)].get(), 100 + i, pad) ? 1 : 0;
    }
    EXPECT_EQ(right, 100);
    EXPECT_EQ(c.stats().replies - replies_before, 104u);
}

// A synchronous call with a view reads the caller's bytes in place while
// it runs (no copy but the one into what leaves): each call gets its own
// params back, however the buffer is reused between calls, and a call that
// times out leaves nothing that reads the buffer after it returns.
TEST_P(HandedOver, ASynchronousCallReadsTheCallersViewOnlyWhileItRuns) {
    const auto pad = GetParam();
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto echo = start_echo_worker(broker.endpoint(), "echo", 8);
    ASSERT_TRUE(wait_for_service(c, "echo"));
    for (int i = 0; i < 50; ++i) {
        auto doc = std::make_unique<bus::bson_doc>(params_of(i, pad));
        auto outcome = c.call("echo", "Echo", doc->view(), patient_and_idempotent());
        doc.reset();  // the call has ended: its bytes may go
        EXPECT_TRUE(echoes(outcome, i, pad)) << i;
    }
    // No worker for "nobody": the request waits in the broker until the
    // call times out; the buffer goes at once, the broker still holds it.
    call_options short_wait;
    short_wait.timeout = 50ms;
    auto doc = std::make_unique<bus::bson_doc>(params_of(7, pad));
    auto outcome = c.call("nobody", "Echo", doc->view(), short_wait);
    doc.reset();
    EXPECT_FALSE(outcome.ok());
    EXPECT_TRUE(
        echoes(c.call("echo", "Echo", params_of(8, pad), patient_and_idempotent()), 8, pad));
}

// Inline in libbson, handed-over buffers, and one too large for a record.
INSTANTIATE_TEST_SUITE_P(Sizes, HandedOver, ::testing::Values(10, 1000, 40000));

}  // namespace
}  // namespace skynet::testing
