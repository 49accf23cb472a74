// skynet-bench --brokers-per-region and --failover: the registry figures of
// issue 19 keep running. Their figures are printed, never asserted; a test
// only checks that every row was measured.
#include <gtest/gtest.h>

#include "support/process.hpp"

namespace skynet::testing {
namespace {

TEST(Bench, BrokersPerRegionMeasuresARowPerBrokerCount) {
    auto run = run_program("skynet-bench",
                           {"--brokers-per-region", "2", "--seconds", "0.2", "--inflight", "100",
                            "--log-level", "warn"},
                           std::chrono::seconds(100));
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    // The medians, one per count of brokers, after every run's own row.
    EXPECT_NE(run.out.find("\n  1       med "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("\n  2       med "), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("failed:"), std::string::npos) << run.out;
}

TEST(Bench, FailoverMeasuresTheSwitchAndTheRecords) {
    auto run = run_program("skynet-bench", {"--failover", "--log-level", "error"},
                           std::chrono::seconds(200));
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    ASSERT_NE(run.out.find("run 1: +odown"), std::string::npos) << run.out;
    // Once the sentinels promoted the replica, every broker and worker wrote
    // its record there again (within a minute, a generous deadline).
    EXPECT_NE(run.out.find("(1 of 1 runs)"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace skynet::testing
