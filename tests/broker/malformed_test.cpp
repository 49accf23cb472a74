// Malformed input from the network is counted and dropped (or answered when
// it has a return address); the broker keeps serving afterwards.
#include <gtest/gtest.h>

#include "skynet/bus/envelope.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

struct bad_message {
    const char* name;
    frame_list frames;
};

const std::vector<bad_message> bad_messages = {
    {"empty message", {""}},
    {"no delimiter", {"MDPC01", "adder", "x"}},
    {"wrong header", {"", "MDPX99", "adder", "x"}},
    {"client without body", {"", "MDPC01", "adder"}},
    {"client without service", {"", "MDPC01"}},
    {"unprintable service", {"", "MDPC01", std::string("a\x01b"), "x"}},
    {"unknown command byte", {"", "MDPW01", "\x0a"}},
    {"command of two bytes", {"", "MDPW01", "\x01\x02", "adder"}},
    {"worker without command", {"", "MDPW01"}},
    {"REQUEST sent to the broker", {"", "MDPW01", "\x02", "addr", "", "x"}},
    {"READY without service", {"", "MDPW01", "\x01"}},
    {"REPLY without address", {"", "MDPW01", "\x03"}},
    {"REPLY from a stranger", {"", "MDPW01", "\x03", "12345678", "", "x"}},
    {"HEARTBEAT from a stranger", {"", "MDPW01", "\x04"}},
    {"HEARTBEAT with extra frames", {"", "MDPW01", "\x04", "x", "y"}},
};

TEST(Malformed, EachBadMessageIsCountedAndTheBrokerStillServes) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto adder = start_adder(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "adder"));

    for (const auto& bad : bad_messages) {
        auto before = broker.stats();
        zmq::socket_t rogue(broker.context(), zmq::socket_type::dealer);
        rogue.set(zmq::sockopt::linger, 0);
        rogue.connect(broker.endpoint());
        send_strings(rogue, bad.frames);
        ASSERT_TRUE(eventually([&] {
            auto now = broker.stats();
            return now.malformed + now.disconnects > before.malformed + before.disconnects;
        })) << bad.name;
        ASSERT_TRUE(adder_works(c)) << "after: " << bad.name;
    }
}

TEST(Malformed, ACommandFromAStrangerIsAnsweredWithDisconnect) {
    running_broker broker;
    plain_client stranger(broker.context(), broker.endpoint());
    send_strings(stranger.socket(), {"", "MDPW01", "\x04"});
    auto answer = receive_strings(stranger.socket(), 10s);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(*answer, (frame_list{"", "MDPW01", "\x05"}));
}

TEST(Malformed, ASecondReadyIsAnsweredWithDisconnect) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    plain_client fake_worker(broker.context(), broker.endpoint());
    send_strings(fake_worker.socket(), {"", "MDPW01", "\x01", "twice"});
    ASSERT_TRUE(wait_for_service(c, "twice"));
    send_strings(fake_worker.socket(), {"", "MDPW01", "\x01", "twice"});
    // Heartbeats may come first; the DISCONNECT must come.
    bool disconnected = false;
    for (int i = 0; i < 200 && !disconnected; ++i) {
        auto answer = receive_strings(fake_worker.socket(), 10s);
        ASSERT_TRUE(answer.has_value());
        disconnected = answer->size() == 3 && (*answer)[2] == "\x05";
    }
    EXPECT_TRUE(disconnected);
    EXPECT_TRUE(wait_for_no_service(c, "twice"));
}

TEST(Malformed, BrokenBsonToOurWorkerIsAnsweredBadRequest) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto adder = start_adder(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "adder"));

    plain_client plain(broker.context(), broker.endpoint());
    auto reply = plain.request("adder", {"\x10\0\0\0garbage-bson", "more"}, 10s);
    ASSERT_TRUE(reply.has_value());
    ASSERT_EQ(reply->size(), 2u);
    zmq::message_t header((*reply)[0].data(), (*reply)[0].size());
    auto decoded = bus::rpc::decode_reply_header(header);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->code, bus::errc::bad_request);
    EXPECT_TRUE(adder_works(c));
}

TEST(Malformed, AFloodOfGarbageLeavesTheBrokerServing) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto adder = start_adder(broker.endpoint());
    ASSERT_TRUE(wait_for_service(c, "adder"));

    zmq::socket_t rogue(broker.context(), zmq::socket_type::dealer);
    rogue.set(zmq::sockopt::linger, 0);
    rogue.connect(broker.endpoint());
    std::uint32_t seed = 12345;
    auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
    constexpr int messages = 2000;
    for (int i = 0; i < messages; ++i) {
        frame_list frames;
        const auto& base = bad_messages[next() % bad_messages.size()].frames;
        frames = base;
        if (!frames.empty() && next() % 2 == 0) {
            frames.back().push_back(static_cast<char>(next()));  // mutate a little
        }
        send_strings(rogue, frames);
    }
    EXPECT_TRUE(eventually([&] {
        auto s = broker.stats();
        return s.malformed + s.disconnects >= messages / 2;
    }));
    EXPECT_TRUE(adder_works(c));
}

}  // namespace
}  // namespace skynet::testing
