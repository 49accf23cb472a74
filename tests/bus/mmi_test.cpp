// The mmi codec: what our peers say to each other, what a broker that
// answers as the reference Majordomo broker does says back, and a table of
// malformed answers, each read without a throw.
#include "skynet/bus/mmi.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skynet/bus/mdp.hpp"
#include "support/frames_of.hpp"

namespace skynet::bus {
namespace {

using namespace std::chrono_literals;

using skynet::testing::frames_of;

std::vector<std::string> strings_of(const frames& f) {
    std::vector<std::string> out;
    for (const auto& m : f) {
        out.push_back(m.to_string());
    }
    return out;
}

TEST(Mmi, CreditRequestIsOneFrame) {
    frames out;
    mmi::put_credit_request(out, {16, true});
    EXPECT_EQ(strings_of(out), (std::vector<std::string>{"", "MDPC01", "mmi.credit", "16 batch"}));
    auto decoded = mdp::decode_at_broker(out);
    ASSERT_TRUE(decoded.ok());
    auto asked = mmi::decode_credit_request(std::get<mdp::client_message>(*decoded).body);
    ASSERT_TRUE(asked.ok()) << asked.err().detail;
    EXPECT_EQ(asked->credit, 16u);
    EXPECT_TRUE(asked->batch);

    out.clear();
    mmi::put_credit_request(out, {1, false});
    EXPECT_EQ(out.back().to_string(), "1");
}

TEST(Mmi, CreditRequestInTheOlderTwoFramesIsRead) {
    auto body = frames_of({"100", "batch"});
    auto asked = mmi::decode_credit_request(body);
    ASSERT_TRUE(asked.ok());
    EXPECT_EQ(asked->credit, 100u);
    EXPECT_TRUE(asked->batch);
    body = frames_of({"8 future batch"});
    asked = mmi::decode_credit_request(body);
    ASSERT_TRUE(asked.ok());  // unknown features are skipped
    EXPECT_TRUE(asked->batch);
}

TEST(Mmi, MalformedCreditRequestsAreRefused) {
    for (const auto& body : std::vector<std::vector<std::string>>{
             {}, {""}, {"0"}, {"-1"}, {"x"}, {"16x"}, {" 16"}, {"99999999999"}, {"1", "2", "3"}}) {
        auto f = frames_of(body);
        EXPECT_FALSE(mmi::decode_credit_request(f).ok()) << (body.empty() ? "" : body[0]);
    }
}

TEST(Mmi, CreditGrantCarriesBatchAndHeartbeatTerms) {
    frames body;
    mmi::put_credit_grant(body, {8, 65536, {250ms, 4}});
    EXPECT_EQ(strings_of(body), (std::vector<std::string>{"200", "8", "batch", "65536", "heartbeat",
                                                          "250", "liveness", "4"}));
    auto grant = mmi::decode_credit_grant(body);
    ASSERT_TRUE(grant.ok()) << grant.err().detail;
    EXPECT_EQ(grant->credit, 8u);
    EXPECT_EQ(grant->batch_limit, 65536u);
    EXPECT_EQ(grant->heartbeat.interval, 250ms);
    EXPECT_EQ(grant->heartbeat.liveness, 4u);
    EXPECT_EQ(mmi::status_of(body), mmi::status::ok);
}

TEST(Mmi, CreditGrantWithoutTermsIsAnOlderBrokers) {
    frames body;
    mmi::put_credit_grant(body, {3, 0, {}});
    EXPECT_EQ(strings_of(body), (std::vector<std::string>{"200", "3"}));
    auto older = frames_of({"200", "16", "batch", "65536"});
    auto grant = mmi::decode_credit_grant(older);
    ASSERT_TRUE(grant.ok());
    EXPECT_EQ(grant->batch_limit, 65536u);
    EXPECT_FALSE(grant->heartbeat.known());
    auto odd = frames_of({"200", "2", "heartbeat", "soon", "colour", "blue", "liveness", "3"});
    grant = mmi::decode_credit_grant(odd);
    ASSERT_TRUE(grant.ok());
    EXPECT_EQ(grant->heartbeat.interval, 0ms);  // unreadable: not said
    EXPECT_EQ(grant->heartbeat.liveness, 3u);
}

TEST(Mmi, MalformedCreditGrantsAreRefused) {
    for (const auto& body : std::vector<std::vector<std::string>>{
             {}, {"200"}, {"200", "0"}, {"200", "x"}, {"501"}, {"16", "501"}, {"404", "1"}}) {
        auto f = frames_of(body);
        EXPECT_FALSE(mmi::decode_credit_grant(f).ok());
    }
}

// 8/MMI as the reference broker answers: the status over the last frame.
TEST(Mmi, StatusIsReadAsEightMmiWrites) {
    auto reference = frames_of({"16", "501"});  // an older two-frame request, answered
    EXPECT_EQ(mmi::status_of(reference), mmi::status::not_implemented);
    auto alone = frames_of({"501"});
    EXPECT_EQ(mmi::status_of(alone), mmi::status::not_implemented);
    auto ours = frames_of({"200", "16", "batch", "501"});  // a limit of 501 bytes
    EXPECT_EQ(mmi::status_of(ours), mmi::status::ok);
    auto missing = frames_of({"echo", "404"});
    EXPECT_EQ(mmi::status_of(missing), mmi::status::not_found);
    auto refused = frames_of({"400"});
    EXPECT_EQ(mmi::status_of(refused), mmi::status::bad_request);
    for (const auto& body : std::vector<std::vector<std::string>>{{}, {""}, {"x", "y"}, {"2000"}}) {
        auto f = frames_of(body);
        EXPECT_EQ(mmi::status_of(f), mmi::status::unreadable);
    }
}

TEST(Mmi, BatchProbeAndGrant) {
    frames out;
    mmi::put_batch_probe(out);
    EXPECT_EQ(strings_of(out), (std::vector<std::string>{"", "MDPC01", "mmi.batch", ""}));
    EXPECT_TRUE(mmi::is_batch_probe(std::span(out).subspan(3)));
    frames body;
    mmi::put_batch_grant(body, 4096);
    EXPECT_TRUE(mmi::is_batch_grant(body));
    auto limit = mmi::decode_batch_grant(body);
    ASSERT_TRUE(limit.ok());
    EXPECT_EQ(*limit, 4096u);
    for (const auto& bad : std::vector<std::vector<std::string>>{
             {}, {"501"}, {"", "0"}, {"", "x"}, {"x", "10"}, {"", "10", ""}}) {
        auto f = frames_of(bad);
        EXPECT_FALSE(mmi::decode_batch_grant(f).ok());
    }
    auto a_batch = frames_of({std::string("\x00\x01\x00\x00\x00\x00\x00", 7)});
    EXPECT_FALSE(mmi::is_batch_probe(a_batch));
    EXPECT_FALSE(mmi::is_batch_grant(a_batch));
}

TEST(Mmi, PauseAndResume) {
    frames out;
    mmi::put_pause(out, true);
    EXPECT_EQ(strings_of(out), (std::vector<std::string>{"", "MDPC01", "mmi.pause", ""}));
    out.clear();
    mmi::put_pause(out, false);
    EXPECT_EQ(strings_of(out), (std::vector<std::string>{"", "MDPC01", "mmi.resume", ""}));
    EXPECT_TRUE(mmi::is_internal(mmi::stats));
    EXPECT_FALSE(mmi::is_internal("echo"));
}

}  // namespace
}  // namespace skynet::bus
