// The 7/MDP/0.1 codec: every message round-trips, every malformed shape is
// refused with an error rather than a crash.
#include "skynet/bus/mdp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/frames_of.hpp"

namespace mdp = skynet::bus::mdp;
using skynet::bus::frames;

namespace {

using skynet::testing::frames_of;

TEST(Mdp, ClientRequestDecodesAtBroker) {
    auto message = frames_of({"", "MDPC01", "echo", "a", "b"});
    auto decoded = mdp::decode_at_broker(message);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    auto& request = std::get<mdp::client_message>(*decoded);
    EXPECT_EQ(request.service, "echo");
    ASSERT_EQ(request.body.size(), 2u);
    EXPECT_EQ(request.body[1].to_string(), "b");
}

TEST(Mdp, WorkerCommandsDecodeAtBroker) {
    auto ready = frames_of({"", "MDPW01", "\x01", "fibonacci@1.0"});
    auto decoded = mdp::decode_at_broker(ready);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(std::get<mdp::ready>(*decoded).service, "fibonacci@1.0");

    auto reply = frames_of({"", "MDPW01", "\x03", "client-7", "", "answer"});
    decoded = mdp::decode_at_broker(reply);
    ASSERT_TRUE(decoded.ok());
    auto& r = std::get<mdp::reply>(*decoded);
    EXPECT_EQ(r.address->to_string(), "client-7");
    ASSERT_EQ(r.body.size(), 1u);
    EXPECT_EQ(r.body[0].to_string(), "answer");

    auto heartbeat = frames_of({"", "MDPW01", "\x04"});
    ASSERT_TRUE(mdp::decode_at_broker(heartbeat).ok());
    auto disconnect = frames_of({"", "MDPW01", "\x05"});
    decoded = mdp::decode_at_broker(disconnect);
    ASSERT_TRUE(decoded.ok());
    EXPECT_TRUE(std::holds_alternative<mdp::disconnect>(*decoded));
}

TEST(Mdp, EncodersProduceWhatDecodersRead) {
    frames out;
    mdp::put_ready(out, "svc");
    auto ready = mdp::decode_at_broker(out);
    ASSERT_TRUE(ready.ok());
    EXPECT_EQ(std::get<mdp::ready>(*ready).service, "svc");

    out.clear();
    mdp::put_request_header(out, zmq::message_t(std::string("addr")));
    out.emplace_back(std::string("body"));
    auto request = mdp::decode_at_worker(out);
    ASSERT_TRUE(request.ok()) << request.err().detail;
    auto& r = std::get<mdp::request>(*request);
    EXPECT_EQ(r.address->to_string(), "addr");
    EXPECT_EQ(r.body[0].to_string(), "body");

    out.clear();
    mdp::put_client_header(out, "svc");
    out.emplace_back(std::string("x"));
    auto reply = mdp::decode_at_client(out);
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->service, "svc");

    out.clear();
    mdp::put_heartbeat(out);
    auto heartbeat = mdp::decode_at_worker(out);
    ASSERT_TRUE(heartbeat.ok());
    EXPECT_TRUE(std::holds_alternative<mdp::heartbeat>(*heartbeat));
}

struct malformed_case {
    const char* name;
    std::vector<std::string> frames;
};

class MalformedAtBroker : public ::testing::TestWithParam<malformed_case> {};

TEST_P(MalformedAtBroker, IsRefusedWithAReason) {
    auto message = frames_of(GetParam().frames);
    auto decoded = mdp::decode_at_broker(message);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.code(), skynet::bus::errc::bad_request);
    EXPECT_FALSE(decoded.err().detail.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, MalformedAtBroker,
    ::testing::Values(malformed_case{"NoFrames", {}},
                      malformed_case{"NoDelimiter", {"MDPC01", "echo", "x"}},
                      malformed_case{"DelimiterNotEmpty", {"x", "MDPC01", "echo", "x"}},
                      malformed_case{"OnlyDelimiter", {""}},
                      malformed_case{"UnknownProtocol", {"", "MDPX01", "echo", "x"}},
                      malformed_case{"ClientWithoutBody", {"", "MDPC01", "echo"}},
                      malformed_case{"ClientWithoutService", {"", "MDPC01"}},
                      malformed_case{"ClientEmptyService", {"", "MDPC01", "", "x"}},
                      malformed_case{"WorkerWithoutCommand", {"", "MDPW01"}},
                      malformed_case{"CommandTwoBytes", {"", "MDPW01", "\x01\x01", "svc"}},
                      malformed_case{"UnknownCommand", {"", "MDPW01", "\x09"}},
                      malformed_case{"CommandZero", {"", "MDPW01", std::string(1, '\0')}},
                      malformed_case{"RequestFromWorker", {"", "MDPW01", "\x02", "a", "", "x"}},
                      malformed_case{"ReadyWithoutService", {"", "MDPW01", "\x01"}},
                      malformed_case{"ReadyEmptyService", {"", "MDPW01", "\x01", ""}},
                      malformed_case{"ReadyExtraFrames", {"", "MDPW01", "\x01", "svc", "extra"}},
                      malformed_case{"ReplyWithoutAddress", {"", "MDPW01", "\x03"}},
                      malformed_case{"ReplyWithoutDelimiter", {"", "MDPW01", "\x03", "addr"}},
                      malformed_case{"ReplyDelimiterNotEmpty",
                                     {"", "MDPW01", "\x03", "addr", "x", "y"}},
                      malformed_case{"ReplyWithoutBody", {"", "MDPW01", "\x03", "addr", ""}},
                      malformed_case{"HeartbeatWithExtra", {"", "MDPW01", "\x04", "x"}},
                      malformed_case{"DisconnectWithExtra", {"", "MDPW01", "\x05", "x"}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Mdp, MalformedAtWorkerIsRefused) {
    for (const auto& parts : std::vector<std::vector<std::string>>{
             {},
             {"", "MDPW01"},
             {"", "MDPW01", "\x02"},
             {"", "MDPW01", "\x02", "addr"},
             {"", "MDPW01", "\x02", "addr", "not-empty", "x"},
             {"", "MDPW01", "\x01", "svc"},  // READY never goes to a worker
             {"", "MDPW01", "\x07"},
             {"", "MDPC01", "mmi.credit"},
         }) {
        auto message = frames_of(parts);
        EXPECT_FALSE(mdp::decode_at_worker(message).ok()) << parts.size() << " frames";
    }
}

TEST(Mdp, MalformedAtClientIsRefused) {
    for (const auto& parts : std::vector<std::vector<std::string>>{{},
                                                                   {""},
                                                                   {"", "MDPW01", "echo", "x"},
                                                                   {"", "MDPC01", "echo"},
                                                                   {"x", "MDPC01", "e", "b"}}) {
        auto message = frames_of(parts);
        EXPECT_FALSE(mdp::decode_at_client(message).ok()) << parts.size() << " frames";
    }
}

}  // namespace
