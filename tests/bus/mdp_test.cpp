// The 7/MDP/0.1 codec: every message round-trips, every malformed shape is
// refused with an error rather than a crash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skynet/bus/mdp.hpp"

namespace mdp = skynet::bus::mdp;
using skynet::bus::frames;

namespace {

frames frames_of(const std::vector<std::string>& parts) {
    frames out;
    for (const auto& p : parts) {
        out.emplace_back(p.data(), p.size());
    }
    return out;
}

TEST(mdp, client_request_decodes_at_broker) {
    auto message = frames_of({"", "MDPC01", "echo", "a", "b"});
    auto decoded = mdp::decode_at_broker(message);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    auto& request = std::get<mdp::client_message>(*decoded);
    EXPECT_EQ(request.service, "echo");
    ASSERT_EQ(request.body.size(), 2u);
    EXPECT_EQ(request.body[1].to_string(), "b");
}

TEST(mdp, worker_commands_decode_at_broker) {
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

TEST(mdp, encoders_produce_what_decoders_read) {
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

class malformed_at_broker : public ::testing::TestWithParam<malformed_case> {};

TEST_P(malformed_at_broker, is_refused_with_a_reason) {
    auto message = frames_of(GetParam().frames);
    auto decoded = mdp::decode_at_broker(message);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.code(), skynet::bus::errc::bad_request);
    EXPECT_FALSE(decoded.err().detail.empty());
}

INSTANTIATE_TEST_SUITE_P(
    shapes, malformed_at_broker,
    ::testing::Values(
        malformed_case{"no_frames", {}},
        malformed_case{"no_delimiter", {"MDPC01", "echo", "x"}},
        malformed_case{"delimiter_not_empty", {"x", "MDPC01", "echo", "x"}},
        malformed_case{"only_delimiter", {""}},
        malformed_case{"unknown_protocol", {"", "MDPX01", "echo", "x"}},
        malformed_case{"client_without_body", {"", "MDPC01", "echo"}},
        malformed_case{"client_without_service", {"", "MDPC01"}},
        malformed_case{"client_empty_service", {"", "MDPC01", "", "x"}},
        malformed_case{"worker_without_command", {"", "MDPW01"}},
        malformed_case{"command_two_bytes", {"", "MDPW01", "\x01\x01", "svc"}},
        malformed_case{"unknown_command", {"", "MDPW01", "\x09"}},
        malformed_case{"command_zero", {"", "MDPW01", std::string(1, '\0')}},
        malformed_case{"request_from_worker", {"", "MDPW01", "\x02", "a", "", "x"}},
        malformed_case{"ready_without_service", {"", "MDPW01", "\x01"}},
        malformed_case{"ready_empty_service", {"", "MDPW01", "\x01", ""}},
        malformed_case{"ready_extra_frames", {"", "MDPW01", "\x01", "svc", "extra"}},
        malformed_case{"reply_without_address", {"", "MDPW01", "\x03"}},
        malformed_case{"reply_without_delimiter", {"", "MDPW01", "\x03", "addr"}},
        malformed_case{"reply_delimiter_not_empty", {"", "MDPW01", "\x03", "addr", "x", "y"}},
        malformed_case{"reply_without_body", {"", "MDPW01", "\x03", "addr", ""}},
        malformed_case{"heartbeat_with_extra", {"", "MDPW01", "\x04", "x"}},
        malformed_case{"disconnect_with_extra", {"", "MDPW01", "\x05", "x"}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(mdp, malformed_at_worker_is_refused) {
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

TEST(mdp, malformed_at_client_is_refused) {
    for (const auto& parts : std::vector<std::vector<std::string>>{
             {}, {""}, {"", "MDPW01", "echo", "x"}, {"", "MDPC01", "echo"}, {"x", "MDPC01", "e", "b"}}) {
        auto message = frames_of(parts);
        EXPECT_FALSE(mdp::decode_at_client(message).ok()) << parts.size() << " frames";
    }
}

}  // namespace
