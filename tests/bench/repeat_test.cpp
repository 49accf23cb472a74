// --repeat runs each scenario several times and quotes the run of median
// ratio, with every run's ratio beside it.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace skynet::testing {
namespace {

TEST(Bench, RepeatQuotesTheMedianOfItsRuns) {
    auto run = run_program("skynet-bench",
                           {"--quick", "--seconds", "0.2", "--scenario", "sync-1x1", "--repeat",
                            "3", "--json", "--log-level", "warn"},
                           std::chrono::seconds(100));
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const auto scenario = nlohmann::json::parse(run.out)["scenarios"][0];
    auto ratios = scenario["ratios"].get<std::vector<double>>();
    ASSERT_EQ(ratios.size(), 3u) << run.out;
    const auto& runs = scenario["runs"];
    const double quoted =
        runs[scenario["measured"].get<int>()]["requests_per_second"].get<double>() /
        runs[scenario["reference"].get<int>()]["requests_per_second"].get<double>();
    std::sort(ratios.begin(), ratios.end());
    EXPECT_NEAR(quoted, ratios[1], 1e-4) << run.out;
}

TEST(Bench, RepeatOutOfRangeIsRefused) {
    auto run = run_program("skynet-bench", {"--repeat", "0"}, std::chrono::seconds(30));
    EXPECT_NE(run.status, 0);
    EXPECT_NE(run.err.find("--repeat"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace skynet::testing
