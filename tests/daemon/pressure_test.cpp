// pressure: out of rotation after a limit is passed for over_for, back after
// every value stays below for under_for, restart past the RSS limit.

#include "skynet/daemon/pressure.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace skynet::daemon {
namespace {

using std::chrono::seconds;
using time_point = pressure::time_point;

constexpr std::uint64_t mib = 1024 * 1024;

pressure_limits cpu_limit() {
    pressure_limits limits;
    limits.cpu_percent = 50;
    limits.over_for = seconds(10);
    limits.under_for = seconds(20);
    return limits;
}

pressure_sample cpu(double percent) {
    pressure_sample s;
    s.cpu_percent = percent;
    return s;
}

class PressureTest : public ::testing::Test {
protected:
    time_point at(int s) const { return t0_ + seconds(s); }
    time_point t0_ = time_point{} + std::chrono::hours(1);
};

TEST_F(PressureTest, TakesOutOfRotationAfterOverFor) {
    pressure p(cpu_limit());
    EXPECT_EQ(p.feed(cpu(80), at(0)).action, pressure_action::none);
    EXPECT_EQ(p.feed(cpu(80), at(9)).action, pressure_action::none);
    const auto out = p.feed(cpu(80), at(10));
    EXPECT_EQ(out.action, pressure_action::take_out);
    EXPECT_EQ(out.reason, "cpu 80% above its limit 50% for 10 s");
    EXPECT_TRUE(p.out_of_rotation());
    EXPECT_EQ(p.reason(), out.reason);
    EXPECT_EQ(p.feed(cpu(90), at(30)).action, pressure_action::none);  // said once
}

TEST_F(PressureTest, ASpikeShorterThanOverForDoesNothing) {
    pressure p(cpu_limit());
    EXPECT_EQ(p.feed(cpu(80), at(0)).action, pressure_action::none);
    EXPECT_EQ(p.feed(cpu(10), at(5)).action, pressure_action::none);
    EXPECT_EQ(p.feed(cpu(80), at(8)).action, pressure_action::none);
    EXPECT_EQ(p.feed(cpu(80), at(17)).action, pressure_action::none);  // 9 s since 8
    EXPECT_FALSE(p.out_of_rotation());
    EXPECT_EQ(p.feed(cpu(80), at(18)).action, pressure_action::take_out);
}

TEST_F(PressureTest, PutsBackOnlyAfterStayingBelowForUnderFor) {
    pressure p(cpu_limit());
    p.feed(cpu(80), at(0));
    ASSERT_EQ(p.feed(cpu(80), at(10)).action, pressure_action::take_out);
    EXPECT_EQ(p.feed(cpu(20), at(11)).action, pressure_action::none);
    EXPECT_EQ(p.feed(cpu(20), at(30)).action, pressure_action::none);  // 19 s below
    EXPECT_EQ(p.feed(cpu(60), at(31)).action, pressure_action::none);  // above again: starts over
    EXPECT_EQ(p.feed(cpu(20), at(32)).action, pressure_action::none);
    EXPECT_EQ(p.feed(cpu(20), at(51)).action, pressure_action::none);
    const auto back = p.feed(cpu(20), at(52));
    EXPECT_EQ(back.action, pressure_action::put_back);
    EXPECT_EQ(back.reason, "below every limit for 20 s");
    EXPECT_FALSE(p.out_of_rotation());
    EXPECT_TRUE(p.reason().empty());
}

TEST_F(PressureTest, RssAndHostLoadLimitsNameThemselves) {
    pressure_limits limits;
    limits.rss_bytes = 100 * mib;
    limits.load_per_cpu = 2;
    limits.over_for = std::chrono::milliseconds(500);
    pressure by_rss(limits);
    pressure_sample fat;
    fat.rss_bytes = 150 * mib;
    by_rss.feed(fat, at(0));
    EXPECT_EQ(by_rss.feed(fat, at(1)).reason, "rss 150.0 MiB above its limit 100.0 MiB for 500 ms");
    pressure by_load(limits);
    pressure_sample busy_host;
    busy_host.load_per_cpu = 3.5;
    by_load.feed(busy_host, at(0));
    EXPECT_EQ(by_load.feed(busy_host, at(1)).reason,
              "host load 3.50 per cpu above its limit 2.00 for 500 ms");
}

TEST_F(PressureTest, RssPastTheRestartLimitAsksForOneRestart) {
    pressure_limits limits;
    limits.restart_rss_bytes = 200 * mib;
    pressure p(limits);
    pressure_sample s;
    s.rss_bytes = 300 * mib;
    const auto first = p.feed(s, at(0));
    EXPECT_EQ(first.action, pressure_action::restart);
    EXPECT_EQ(first.reason, "rss 300.0 MiB above its restart limit 200.0 MiB");
    EXPECT_EQ(p.feed(s, at(1)).action, pressure_action::none);  // once
    p.reset();                                                  // restarted
    EXPECT_EQ(p.feed(s, at(2)).action, pressure_action::restart);
    s.rss_bytes = 10 * mib;
    EXPECT_EQ(p.feed(s, at(3)).action, pressure_action::none);
    s.rss_bytes = 300 * mib;
    EXPECT_EQ(p.feed(s, at(4)).action, pressure_action::restart);
}

TEST_F(PressureTest, NoLimitsNeverAct) {
    pressure p(pressure_limits{});
    pressure_sample s{1000, 1ULL << 40, 100};
    for (int i = 0; i < 1000; i += 100) {
        EXPECT_EQ(p.feed(s, at(i)).action, pressure_action::none);
    }
}

TEST_F(PressureTest, NegativeLimitsThrow) {
    pressure_limits limits;
    limits.over_for = seconds(-1);
    EXPECT_THROW(pressure{limits}, std::invalid_argument);
    pressure_limits bad_cpu;
    bad_cpu.cpu_percent = -5;
    EXPECT_THROW(pressure{bad_cpu}, std::invalid_argument);
}

}  // namespace
}  // namespace skynet::daemon
