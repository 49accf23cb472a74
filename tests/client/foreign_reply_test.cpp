// A reply that is not our envelope (docs/design.md): a raw or plain 7/MDP
// worker answering one of our enveloped calls ends that call at once with
// SERVICE_ERROR, instead of leaving it to time out with nothing said.
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

call_options patient() {
    call_options options;
    options.timeout = 60s;  // a TIMEOUT would show as the wrong code, well before ctest's limit
    return options;
}

void expect_ended_as_foreign(const call_result& outcome) {
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.code(), bus::errc::service_error) << outcome.err().detail;
    EXPECT_NE(outcome.err().detail.find("not our reply envelope"), std::string::npos)
        << outcome.err().detail;
}

// An echo that gives back the frames it got: our request header among
// them, whose request_id names the call.
TEST(ForeignReply, ARawEchoOfOurRequestEndsItsCall) {
    running_broker broker;
    auto options = fast_worker_options("rawecho", broker.endpoint());
    worker w(options);
    w.handle_raw([](std::span<const zmq::message_t> body) {
        bus::frames out;
        for (const auto& f : body) {
            out.emplace_back(f.data(), f.size());
        }
        return out;
    });
    w.start();
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "rawecho"));
    bus::bson_doc params;
    params.add_int64("n", 1);
    expect_ended_as_foreign(c.call("rawecho", "Echo", params.view(), patient()));
    EXPECT_GE(c.stats().malformed, 1u);
}

// A plain worker whose answer holds no request_id: the only call out for
// that service on that broker is the one it answers.
TEST(ForeignReply, APlainWorkersAnswerEndsTheOnlyCallOut) {
    running_broker broker;
    plain_worker other(broker.context(), broker.endpoint(), "legacy");
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "legacy"));
    for (int i = 0; i < 3; ++i) {  // one after another: each the only one out
        expect_ended_as_foreign(c.call("legacy", "Anything", bus::bson_view{}, patient()));
    }
    EXPECT_EQ(other.requests(), 3);
}

}  // namespace
}  // namespace skynet::testing
