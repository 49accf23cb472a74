// cgroup: where our cgroup v2 directory is, limits written into a child's
// own cgroup under a delegated one, and the fallback (one warning, no
// limits) where nothing is delegated, as on this machine. The "delegated"
// tests run against a stand-in: a plain directory laid out like cgroupfs,
// since test machines rarely delegate cgroup v2 to the test.
#include "skynet/runtime/cgroup.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "skynet/runtime/logging.hpp"

namespace skynet::testing {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_all(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

// Hybrid: cgroup v1 controllers, and cgroup2 (without them) at unified/.
constexpr std::string_view hybrid_mountinfo =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
constexpr std::string_view unified_mountinfo =
    "22 1 0:5 / /proc rw,nosuid - proc proc rw\n"
    "25 21 0:22 / /sys/fs/cgroup rw,nosuid,nodev shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";

TEST(CgroupTest, FindsOurCgroup2Directory) {
    EXPECT_EQ(runtime::find_cgroup2_dir(hybrid_mountinfo, "4:memory:/x\n0::/\n"),
              fs::path("/sys/fs/cgroup/unified"));
    EXPECT_EQ(runtime::find_cgroup2_dir(unified_mountinfo, "0::/system.slice/skyd.service\n"),
              fs::path("/sys/fs/cgroup/system.slice/skyd.service"));
    // A mount of a subtree: paths are relative to its root.
    EXPECT_EQ(runtime::find_cgroup2_dir("9 1 0:9 /system.slice /cg rw - cgroup2 cgroup2 rw\n",
                                        "0::/system.slice/skyd.service\n"),
              fs::path("/cg/skyd.service"));
    EXPECT_EQ(runtime::find_cgroup2_dir("9 1 0:9 /system.slice /cg rw - cgroup2 cgroup2 rw\n",
                                        "0::/system.slicer/x\n"),
              std::nullopt);
    EXPECT_EQ(runtime::find_cgroup2_dir(unified_mountinfo, "4:memory:/x\n"), std::nullopt);
    EXPECT_EQ(runtime::find_cgroup2_dir("22 1 0:5 / /proc rw - proc proc rw\n", "0::/\n"),
              std::nullopt);
    EXPECT_EQ(runtime::find_cgroup2_dir("", ""), std::nullopt);
}

// A stand-in for a delegated cgroup v2 directory (not a cgroupfs: the
// kernel enforces nothing here; the test reads what was written).
class StandInCgroup : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("skynet-cgroup-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        write_all(dir_ / "cgroup.controllers", "cpuset cpu io memory pids\n");
        write_all(dir_ / "cgroup.subtree_control", "");
        write_all(dir_ / "cgroup.procs", "");
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(StandInCgroup, LimitsGoIntoTheChildsOwnCgroup) {
    runtime::cgroup_placer placer(dir_);
    ASSERT_TRUE(placer.available()) << placer.unavailable_reason();
    runtime::cgroup_limits limits;
    limits.memory_max = 64U << 20;
    limits.cpus = 1.5;
    limits.pids_max = 100;
    auto placed = placer.place(4242, "svc-h-0123456789ab", limits);
    ASSERT_TRUE(placed.ok()) << placed.err().detail;
    EXPECT_TRUE(*placed);
    const auto group = dir_ / "skynet-svc-h-0123456789ab";
    EXPECT_EQ(read_all(dir_ / "cgroup.subtree_control"), "+cpu +memory +pids");
    EXPECT_EQ(read_all(group / "memory.max"), "67108864");
    EXPECT_EQ(read_all(group / "cpu.max"), "150000 100000");
    EXPECT_EQ(read_all(group / "pids.max"), "100");
    EXPECT_EQ(read_all(group / "cgroup.procs"), "4242");
}

TEST_F(StandInCgroup, OnlyTheLimitsAskedForAreWritten) {
    write_all(dir_ / "cgroup.subtree_control", "memory pids");  // enabled already
    runtime::cgroup_placer placer(dir_);
    runtime::cgroup_limits limits;
    limits.pids_max = 8;
    ASSERT_TRUE(placer.place(4243, "svc-b", limits).value());
    EXPECT_EQ(read_all(dir_ / "cgroup.subtree_control"), "memory pids") << "rewritten needlessly";
    EXPECT_FALSE(fs::exists(dir_ / "skynet-svc-b" / "memory.max"));
    EXPECT_EQ(read_all(dir_ / "skynet-svc-b" / "pids.max"), "8");
}

TEST_F(StandInCgroup, AControllerNotDelegatedMeansNoLimit) {
    write_all(dir_ / "cgroup.controllers", "cpu pids\n");
    runtime::cgroup_placer placer(dir_);
    runtime::cgroup_limits limits;
    limits.memory_max = 1U << 30;
    auto placed = placer.place(4244, "svc-c", limits);
    ASSERT_TRUE(placed.ok());
    EXPECT_FALSE(*placed);
    EXPECT_FALSE(fs::exists(dir_ / "skynet-svc-c"));
}

TEST_F(StandInCgroup, NothingToLimitPlacesNothing) {
    runtime::cgroup_placer placer(dir_);
    EXPECT_FALSE(placer.place(4245, "svc-d", {}).value());
    EXPECT_FALSE(fs::exists(dir_ / "skynet-svc-d"));
}

TEST_F(StandInCgroup, SenselessLimitsAndIdsThrow) {
    runtime::cgroup_placer placer(dir_);
    runtime::cgroup_limits zero_cpus;
    zero_cpus.cpus = 0;
    EXPECT_THROW((void)placer.place(1, "svc-e", zero_cpus), std::invalid_argument);
    runtime::cgroup_limits some;
    some.pids_max = 1;
    for (const char* id : {"", "..", "a/b"}) {
        EXPECT_THROW((void)placer.place(1, id, some), std::invalid_argument) << id;
    }
}

TEST(CgroupTest, NoCgroup2IsUnavailable) {
    runtime::cgroup_placer placer{fs::path{}};
    EXPECT_FALSE(placer.available());
    EXPECT_FALSE(placer.unavailable_reason().empty());
}

// This machine: hybrid cgroups whose v2 part has no memory controller (or
// none at all). A machine that does delegate one skips this test.
TEST(CgroupTest, WithoutDelegationOneWarningAndNoLimits) {
    auto placer = runtime::cgroup_placer::for_this_process();
    runtime::cgroup_limits limits;
    limits.memory_max = 1U << 30;
    const auto controllers = read_all(placer.dir() / "cgroup.controllers");
    if (placer.available() && controllers.find("memory") != std::string::npos) {
        GTEST_SKIP() << "this machine delegates cgroup v2 memory at " << placer.dir();
    }
    auto log = runtime::logger_for("cgroup");
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
    log->sinks().push_back(sink);
    for (int i = 0; i < 3; ++i) {
        auto placed = placer.place(::getpid(), "svc-f", limits);
        ASSERT_TRUE(placed.ok()) << placed.err().detail;
        EXPECT_FALSE(*placed);
    }
    log->sinks().pop_back();
    const auto lines = sink->last_formatted();
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_NE(lines[0].find("no cgroup limits"), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace skynet::testing
