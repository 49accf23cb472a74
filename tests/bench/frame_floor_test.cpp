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

// A fixed number of requests per run, not a time window: what is checked is
// that every one was answered, however slow a busy machine makes them.
run_result quick_json_run(const std::string& scenario, std::uint64_t requests) {
    return run_program("skynet-bench",
                       {"--quick", "--requests", std::to_string(requests), "--scenario", scenario,
                        "--json", "--log-level", "warn"},
                       std::chrono::seconds(100));
}

enum class note { must_be_empty, any };

// The run labelled so answered all `requests` calls, and left none
// unanswered (a relay's note would say what went wrong with it).
void expect_answered(const nlohmann::json& report, const std::string& label, std::uint64_t requests,
                     note n, const std::string& out) {
    const auto* run = run_labelled(report, label);
    ASSERT_NE(run, nullptr) << out;
    EXPECT_EQ((*run)["completed"].get<std::uint64_t>(), requests) << out;
    EXPECT_EQ((*run)["unanswered"].get<std::uint64_t>(), 0u) << out;
    if (n == note::must_be_empty) {
        EXPECT_EQ((*run)["note"], "") << out;
    }
}

TEST(Bench, FrameFloorRelayAndRawCallerAreAnswered) {
    constexpr std::uint64_t requests = 1500;
    auto run = quick_json_run("async-credit", requests);
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const auto report = nlohmann::json::parse(run.out);
    expect_answered(report, "relay, 7/MDP frames", requests, note::must_be_empty, run.out);
    expect_answered(report, "raw caller, our broker+worker", requests, note::any, run.out);
}

TEST(Bench, OnePerConnectionFrameFloorIsAnswered) {
    constexpr std::uint64_t requests = 300;
    auto run = quick_json_run("async-plain-32", requests);
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const auto report = nlohmann::json::parse(run.out);
    expect_answered(report, "relay, 7/MDP, 1/conn, 32 conns", requests, note::must_be_empty,
                    run.out);
}

}  // namespace
}  // namespace skynet::testing
