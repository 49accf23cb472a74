// host_figures and process_figures: the real /proc where a value can be
// checked, and a stand-in /proc directory (files written by the test) for
// exact CPU arithmetic and malformed text.

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "skynet/daemon/host_figures.hpp"
#include "skynet/daemon/process_figures.hpp"
#include "skynet/runtime/process_handle.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::daemon {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::string> good_host = {
    {"stat",
     "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\n"
     "cpu1 50 0 50 400 0 0 0 0 0 0\nintr 1 2 3\n"},
    {"meminfo", "MemTotal:       2048 kB\nMemFree:         100 kB\nMemAvailable:   1024 kB\n"},
    {"loadavg", "0.50 1.25 2.00 1/234 5678\n"},
    {"uptime", "12345.67 23456.78\n"},
};

// A process whose name has a blank and a ')' in it: `utime` + 100 ticks of
// CPU, started at tick `start`, 10 pages resident.
std::string stat_line(std::uint64_t utime, std::uint64_t start) {
    return "77 (odd) name) S 1 77 77 0 -1 4194560 100 0 0 0 " + std::to_string(utime) +
           " 100 0 0 20 0 1 0 " + std::to_string(start) + " 1000000 10 18446744073709551615\n";
}

class FiguresTest : public ::testing::Test {
protected:
    void SetUp() override {
        proc_ = fs::temp_directory_path() /
                ("skynet-figures-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(proc_);
        fs::create_directories(proc_ / "77");
        for (const auto& [name, text] : good_host) {
            put(name, text);
        }
        put("77/stat", stat_line(300, 4242));
    }
    void TearDown() override { fs::remove_all(proc_); }
    void put(const std::string& name, const std::string& text) {
        std::ofstream(proc_ / name, std::ios::trunc) << text;
    }

    fs::path proc_;  // a stand-in for /proc
};

TEST_F(FiguresTest, TheRealHostHasPlausibleFigures) {
    auto sample = read_host_sample();
    ASSERT_TRUE(sample.ok()) << sample.err().detail;
    EXPECT_GE(sample->cpus, 1u);
    EXPECT_GT(sample->memory_total, 0u);
    EXPECT_LE(sample->memory_available, sample->memory_total);
    EXPECT_GT(sample->uptime_s, 0);
    EXPECT_GE(sample->load1, 0);
    EXPECT_GT(sample->cpu.total, sample->cpu.busy);
}

TEST_F(FiguresTest, HostFiguresFromAStandInProc) {
    host_figures_reader reader(proc_);
    auto first = reader.read();
    ASSERT_TRUE(first.ok()) << first.err().detail;
    EXPECT_EQ(first->cpu_percent, 0);  // nothing to compare with yet
    EXPECT_EQ(first->sample.cpus, 2u);
    EXPECT_EQ(first->sample.memory_total, 2048u * 1024);
    EXPECT_EQ(first->sample.memory_available, 1024u * 1024);
    EXPECT_DOUBLE_EQ(first->sample.load15, 2.0);
    EXPECT_DOUBLE_EQ(first->load_per_cpu(), 0.25);
    EXPECT_DOUBLE_EQ(first->sample.uptime_s, 12345.67);
    // 200 ticks busy (user, system) of 400: half the host.
    put("stat", "cpu  200 0 200 1000 0 0 0 0 0 0\ncpu0 1\ncpu1 1\n");
    auto second = reader.read();
    ASSERT_TRUE(second.ok()) << second.err().detail;
    EXPECT_DOUBLE_EQ(second->cpu_percent, 50.0);
}

TEST_F(FiguresTest, MalformedHostFilesAreBadRequestsNamingTheFile) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"stat", "intr 1 2\n"},
        {"stat", "cpu  1 2 3\ncpu0 1\n"},
        {"stat", "cpu  1 x 3 4\ncpu0 1\n"},
        {"stat", "cpu  1 2 3 4\n"},
        {"meminfo", "MemTotal: 12 kB\n"},
        {"meminfo", "MemTotal: many kB\nMemAvailable: 1 kB\n"},
        {"loadavg", "0.5 0.5\n"},
        {"loadavg", "0.5 nan? 1\n"},
        {"uptime", ""},
        {"uptime", "-3 4\n"},
    };
    for (const auto& [name, text] : bad) {
        SetUp();
        put(name, text);
        auto sample = read_host_sample(proc_);
        ASSERT_FALSE(sample.ok()) << name << ": " << text;
        EXPECT_EQ(sample.code(), bus::errc::bad_request) << name << ": " << text;
        EXPECT_NE(sample.err().detail.find(name), std::string::npos) << sample.err().detail;
    }
}

TEST_F(FiguresTest, AMissingHostFileIsUnavailable) {
    fs::remove(proc_ / "loadavg");
    auto sample = read_host_sample(proc_);
    ASSERT_FALSE(sample.ok());
    EXPECT_EQ(sample.code(), bus::errc::unavailable);
}

TEST_F(FiguresTest, ARealChildsStartTimeAndRss) {
    testing::child_process child("/bin/sleep", {"600"});
    // Between fork and exec, and early in exec, a child has no pages of its
    // own yet: its RSS becomes positive once sleep is loaded.
    auto sample = read_process_sample(child.pid());
    EXPECT_TRUE(testing::eventually([&] {
        sample = read_process_sample(child.pid());
        return sample.ok() && sample->rss_bytes > 0;
    }));
    ASSERT_TRUE(sample.ok()) << sample.err().detail;
    const auto start = process_start_time(child.pid());
    ASSERT_TRUE(start.has_value());
    EXPECT_EQ(*start, sample->start_time);
    EXPECT_EQ(start, runtime::process_start_time(child.pid()));  // one reader of field 22
    EXPECT_GE(*start, process_start_time(::getpid()).value());   // started after us
    EXPECT_NE(std::string("RSD").find(sample->state), std::string::npos) << sample->state;
    child.signal(SIGKILL);  // not reaped yet: a zombie has ended all the same
    EXPECT_TRUE(testing::eventually([&] {
        const auto now = read_process_sample(child.pid());
        return now.ok() && now->state == 'Z';
    }));
    EXPECT_FALSE(process_start_time(child.pid()).has_value());
    // The runtime's reader still sees the zombie's start time (a handle on
    // it may open); ours is for adoption, where a zombie is no process.
    EXPECT_EQ(runtime::process_start_time(child.pid()), start);
    ASSERT_TRUE(child.wait_exit(std::chrono::seconds(15)).has_value());
    EXPECT_FALSE(process_start_time(child.pid()).has_value());
    EXPECT_EQ(read_process_sample(child.pid()).code(), bus::errc::unavailable);
}

TEST_F(FiguresTest, ProcessCpuPercentIsOfOneCpuAndStartsOverForAReusedPid) {
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    process_figures_reader reader(77, proc_);
    const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    auto first = reader.read(t0);
    ASSERT_TRUE(first.ok()) << first.err().detail;
    EXPECT_EQ(first->cpu_percent, 0);
    EXPECT_EQ(first->sample.cpu_ticks, 400u);
    EXPECT_EQ(first->sample.start_time, 4242u);
    EXPECT_EQ(first->sample.state, 'S');
    EXPECT_EQ(first->sample.rss_bytes, 10u * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)));
    // Two CPUs' worth of ticks in one second: 200%.
    put("77/stat", stat_line(300 + static_cast<std::uint64_t>(2 * ticks), 4242));
    auto second = reader.read(t0 + std::chrono::seconds(1));
    ASSERT_TRUE(second.ok());
    EXPECT_DOUBLE_EQ(second->cpu_percent, 200.0);
    put("77/stat", stat_line(5, 9999));  // another process under the same pid
    auto third = reader.read(t0 + std::chrono::seconds(2));
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(third->cpu_percent, 0);
}

TEST_F(FiguresTest, MalformedProcessStatIsABadRequest) {
    for (const std::string text : {"77 no parentheses S 1", "77 (x) S 1 2 3", "",
                                   "77 (x) S 1 77 77 0 -1 4194560 100 0 0 0 "
                                   "u 100 0 0 20 0 1 0 1 1 10 1\n"}) {
        put("77/stat", text);
        auto sample = read_process_sample(77, proc_);
        ASSERT_FALSE(sample.ok()) << text;
        EXPECT_EQ(sample.code(), bus::errc::bad_request) << text;
    }
    EXPECT_FALSE(process_start_time(77, proc_).has_value());
}

}  // namespace
}  // namespace skynet::daemon
