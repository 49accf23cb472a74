// The frame floors, relays that frame messages as a 7/MDP broker does (with
// as many requests in flight as sent, or one per worker connection), must
// answer every request their caller sends: a relay that dropped, misrouted or
// stalled them would report a floor that means nothing. So
// must our broker and worker when that raw caller sends them our client's
// frames: each of its requests must be a valid envelope, or the difference it
// shows between our client and the rest of the bus would mean nothing either.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace skynet::testing {
namespace {

const nlohmann::json* run_labelled(const nlohmann::json& report, const std::string& label) {
    for (const auto& run : report["scenarios"][0]["runs"]) {
        if (run["label"] == label) {
            return &run;
        }
    }
    return nullptr;
}

TEST(bench, frame_floor_relay_and_raw_caller_are_answered) {
    auto run = run_program("skynet-bench",
                           {"--quick", "--seconds", "0.2", "--scenario", "async-credit", "--json",
                            "--log-level", "warn"},
                           std::chrono::seconds(100));
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const auto report = nlohmann::json::parse(run.out);
    const auto* floor = run_labelled(report, "relay, 7/MDP frames");
    ASSERT_NE(floor, nullptr) << run.out;
    EXPECT_GT((*floor)["completed"].get<std::uint64_t>(), 1000u) << run.out;
    EXPECT_EQ((*floor)["unanswered"].get<std::uint64_t>(), 0u) << run.out;
    EXPECT_EQ((*floor)["note"], "") << run.out;

    const auto* raw = run_labelled(report, "raw caller, our broker+worker");
    ASSERT_NE(raw, nullptr) << run.out;
    EXPECT_GT((*raw)["completed"].get<std::uint64_t>(), 1000u) << run.out;
    EXPECT_EQ((*raw)["unanswered"].get<std::uint64_t>(), 0u) << run.out;
}

TEST(bench, one_per_connection_frame_floor_is_answered) {
    auto run = run_program("skynet-bench",
                           {"--quick", "--seconds", "0.2", "--scenario", "async-plain-32", "--json",
                            "--log-level", "warn"},
                           std::chrono::seconds(100));
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const auto report = nlohmann::json::parse(run.out);
    const auto* floor = run_labelled(report, "relay, 7/MDP, 1/conn, 32 conns");
    ASSERT_NE(floor, nullptr) << run.out;
    EXPECT_GT((*floor)["completed"].get<std::uint64_t>(), 200u) << run.out;
    EXPECT_EQ((*floor)["unanswered"].get<std::uint64_t>(), 0u) << run.out;
    EXPECT_EQ((*floor)["note"], "") << run.out;
}

}  // namespace
}  // namespace skynet::testing
