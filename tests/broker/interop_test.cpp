// Any Majordomo peer works with ours: a plain 7/MDP client and worker,
// written from the spec with raw frames, talk through our broker to our
// worker and our client. mmi.* answers as 8/MMI says.
#include <gtest/gtest.h>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"
#include "support/plain_broker.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST(Interop, PlainClientGetsItsFramesBackFromOurEchoWorker) {
    running_broker broker;
    client ours(fast_client_options(broker.endpoint()));
    auto echo = start_raw_echo_worker(broker.endpoint());
    ASSERT_TRUE(wait_for_service(ours, "echo"));

    plain_client plain(broker.context(), broker.endpoint());
    auto reply = plain.request("echo", {"hello", "two", std::string("\0bin", 4)}, 10s);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(*reply, (frame_list{"hello", "two", std::string("\0bin", 4)}));
}

TEST(Interop, OurRawCallIsAnsweredByAPlainWorker) {
    running_broker broker;
    client ours(fast_client_options(broker.endpoint()));
    plain_worker plain(broker.context(), broker.endpoint(), "legacy");
    ASSERT_TRUE(wait_for_service(ours, "legacy"));

    bus::frames body;
    body.emplace_back(std::string("ping"));
    body.emplace_back(std::string("tail"));
    auto outcome = ours.call_raw("legacy", std::move(body));
    ASSERT_TRUE(outcome.ok()) << outcome.err().detail;
    ASSERT_EQ(outcome->frames().size(), 2u);
    EXPECT_EQ(outcome->frames()[0].to_string(), "plain:ping");
    EXPECT_EQ(outcome->frames()[1].to_string(), "tail");
    EXPECT_EQ(plain.requests(), 1);
}

TEST(Interop, MmiServiceSays200404And501) {
    running_broker broker;
    plain_client plain(broker.context(), broker.endpoint());
    client ours(fast_client_options(broker.endpoint()));
    auto echo = start_raw_echo_worker(broker.endpoint());
    ASSERT_TRUE(wait_for_service(ours, "echo"));

    EXPECT_EQ(plain.request("mmi.service", {"echo"}, 10s), frame_list{"200"});
    EXPECT_EQ(plain.request("mmi.service", {"nobody"}, 10s), frame_list{"404"});
    EXPECT_EQ(plain.request("mmi.nonsense", {"x"}, 10s), frame_list{"501"});
}

TEST(Interop, MmiServicesListsServicesWithWorkers) {
    running_broker broker;
    client ours(fast_client_options(broker.endpoint()));
    auto echo = start_raw_echo_worker(broker.endpoint());
    plain_worker plain(broker.context(), broker.endpoint(), "legacy");
    ASSERT_TRUE(wait_for_service(ours, "echo"));
    ASSERT_TRUE(wait_for_service(ours, "legacy"));

    plain_client asker(broker.context(), broker.endpoint());
    auto reply = asker.request("mmi.services", {""}, 10s);
    ASSERT_TRUE(reply.has_value());
    ASSERT_FALSE(reply->empty());
    EXPECT_EQ((*reply)[0], "200");
    std::vector<std::string> names(reply->begin() + 1, reply->end());
    EXPECT_NE(std::find(names.begin(), names.end(), "echo"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "legacy"), names.end());
}

TEST(Interop, PlainWorkerReplacedByDisconnectIsGone) {
    running_broker broker;
    client ours(fast_client_options(broker.endpoint()));
    {
        plain_worker plain(broker.context(), broker.endpoint(), "brief");
        ASSERT_TRUE(wait_for_service(ours, "brief"));
    }  // sends DISCONNECT
    EXPECT_TRUE(wait_for_no_service(ours, "brief"));
}

}  // namespace
}  // namespace skynet::testing

namespace skynet::testing {
namespace {

// The other direction: our worker (asking for credit) and our client behind
// a broker that is not ours and knows nothing of credit.
TEST(Interop, OurWorkerAndClientWorkThroughAPlainBroker) {
    plain_broker other;
    auto options = fast_worker_options("square", other.endpoint());
    options.heartbeat = std::chrono::milliseconds(250);  // the plain broker's interval
    options.concurrency = 2;
    options.credit = 16;  // refused with 501: falls back to plain connections
    worker w(options);
    w.handle("Square", [](const request& req) {
        auto n = req.params().get_int64("n").value_or(0);
        bus::bson_doc result;
        result.add_int64("value", n * n);
        return result;
    });
    w.start();
    client c(fast_client_options(other.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "square"));

    std::vector<std::future<call_result>> calls;
    for (int n = 0; n < 50; ++n) {
        bus::bson_doc params;
        params.add_int64("n", n);
        calls.push_back(c.call_future("square", "Square", params.view()));
    }
    for (int n = 0; n < 50; ++n) {
        auto outcome = calls[n].get();
        ASSERT_TRUE(outcome.ok()) << n << ": " << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_int64("value"), n * n);
    }
}

}  // namespace
}  // namespace skynet::testing
