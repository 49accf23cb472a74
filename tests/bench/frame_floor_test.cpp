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

run_result quick_json_run(const std::string& scenario) {
    return run_program(
        "skynet-bench",
        {"--quick", "--seconds", "0.2", "--scenario", scenario, "--json", "--log-level", "warn"},
        std::chrono::seconds(100));
}

enum class note { must_be_empty, any };

// The run labelled so answered more than `at_least` calls, and left none
// unanswered (a relay's note would say what went wrong with it).
void expect_answered(const nlohmann::json& report, const std::string& label, std::uint64_t at_least,
                     note n, const std::string& out) {
    const auto* run = run_labelled(report, label);
    ASSERT_NE(run, nullptr) << out;
    EXPECT_GT((*run)["completed"].get<std::uint64_t>(), at_least) << out;
    EXPECT_EQ((*run)["unanswered"].get<std::uint64_t>(), 0u) << out;
    if (n == note::must_be_empty) {
        EXPECT_EQ((*run)["note"], "") << out;
    }
}

TEST(bench, frame_floor_relay_and_raw_caller_are_answered) {
    auto run = quick_json_run("async-credit");
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const auto report = nlohmann::json::parse(run.out);
    expect_answered(report, "relay, 7/MDP frames", 1000, note::must_be_empty, run.out);
    expect_answered(report, "raw caller, our broker+worker", 1000, note::any, run.out);
}

TEST(bench, one_per_connection_frame_floor_is_answered) {
    auto run = quick_json_run("async-plain-32");
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const auto report = nlohmann::json::parse(run.out);
    expect_answered(report, "relay, 7/MDP, 1/conn, 32 conns", 200, note::must_be_empty, run.out);
}

}  // namespace
}  // namespace skynet::testing
