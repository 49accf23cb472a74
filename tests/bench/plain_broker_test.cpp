// skynet-bench --broker measures any MDP broker, not only ours: here one
// written from the spec alone, so comparisons can be like for like.
#include "support/plain_broker.hpp"

#include <gtest/gtest.h>

#include "support/process.hpp"

namespace skynet::testing {
namespace {

TEST(Bench, MeasuresAPlainMdpBrokerThatIsNotOurs) {
    plain_broker other;
    auto run = run_program("skynet-bench",
                           {"--broker", other.endpoint(), "--quick", "--seconds", "0.2",
                            "--scenario", "sync-1x1", "--log-level", "warn"},
                           std::chrono::seconds(100));
    EXPECT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("sync-1x1"), std::string::npos) << run.out;
    // Our client and worker really went through it.
    EXPECT_GT(other.requests(), 10) << run.out;
}

}  // namespace
}  // namespace skynet::testing
