// log_file: whole lines, rotation by size, and a full disk that drops lines
// (counted) without blocking or throwing, then recovers.

#include "skynet/daemon/log_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::daemon {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class LogFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("skynet-log-file-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    log_file_options options(std::uint64_t max_bytes = 10 * 1024 * 1024, int max_files = 10) {
        log_file_options o;
        o.dir = dir_;
        o.id = "svc-test-0123456789ab";
        o.max_bytes = max_bytes;
        o.max_files = max_files;
        o.retry_after = std::chrono::milliseconds(0);
        return o;
    }
    fs::path file(int n) const { return log_file_path(dir_, "svc-test-0123456789ab", n); }

    fs::path dir_;
};

TEST_F(LogFileTest, WritesWholeLinesAndHoldsAPartialOne) {
    log_file log(options());
    log.write("first\nsec");
    EXPECT_EQ(read_text(file(0)), "first\n");
    log.write("ond\nthi");
    EXPECT_EQ(read_text(file(0)), "first\nsecond\n");
    log.flush();
    EXPECT_EQ(read_text(file(0)), "first\nsecond\nthi\n");
    EXPECT_EQ(log.dropped_lines(), 0u);
}

TEST_F(LogFileTest, DestructorWritesTheHeldLine) {
    {
        log_file log(options());
        log.write("no newline yet");
    }
    EXPECT_EQ(read_text(file(0)), "no newline yet\n");
}

TEST_F(LogFileTest, ALineWithoutNewlineIsWrittenInPiecesOfMaxLine) {
    auto o = options();
    o.max_line = 8;
    log_file log(std::move(o));
    log.write(std::string(20, 'x'));
    EXPECT_EQ(read_text(file(0)), "xxxxxxxx\nxxxxxxxx\n");
    log.write("y\n");
    EXPECT_EQ(read_text(file(0)), "xxxxxxxx\nxxxxxxxx\nxxxxy\n");
}

TEST_F(LogFileTest, RotatesBySizeAndKeepsMaxFiles) {
    log_file log(options(100, 3));
    std::string expected;
    for (int i = 0; i < 50; ++i) {
        const std::string line = "line " + std::to_string(100 + i) + "\n";  // 9 bytes
        log.write(line);
        expected += line;
    }
    ASSERT_TRUE(fs::exists(file(0)));
    ASSERT_TRUE(fs::exists(file(1)));
    ASSERT_TRUE(fs::exists(file(2)));
    EXPECT_FALSE(fs::exists(file(3)));
    for (int n = 0; n < 3; ++n) {
        EXPECT_LE(fs::file_size(file(n)), 100u) << file(n);
    }
    // The oldest kept file, then newer ones, is the end of what was written.
    const std::string kept = read_text(file(2)) + read_text(file(1)) + read_text(file(0));
    EXPECT_EQ(read_text(file(1)).size(), 99u);  // 11 lines of 9 bytes fit in 100
    ASSERT_GE(expected.size(), kept.size());
    EXPECT_EQ(expected.substr(expected.size() - kept.size()), kept);
}

TEST_F(LogFileTest, ALineLongerThanMaxBytesGetsAFileOfItsOwn) {
    log_file log(options(10, 3));
    log.write("short\n");
    log.write(std::string(30, 'L') + "\n");
    log.write("after\n");
    EXPECT_EQ(read_text(file(2)), "short\n");
    EXPECT_EQ(read_text(file(1)), std::string(30, 'L') + "\n");
    EXPECT_EQ(read_text(file(0)), "after\n");
}

TEST_F(LogFileTest, ContinuesAnExistingFileAndCountsItsSize) {
    {
        log_file log(options(20, 2));
        log.write("0123456789abcdef\n");  // 17 bytes
    }
    log_file again(options(20, 2));
    again.write("next\n");  // 17 + 5 > 20: rotates first
    EXPECT_EQ(read_text(file(1)), "0123456789abcdef\n");
    EXPECT_EQ(read_text(file(0)), "next\n");
}

TEST_F(LogFileTest, BadOptionsThrowNamingThem) {
    auto no_id = options();
    no_id.id = "";
    EXPECT_THROW(log_file{no_id}, std::invalid_argument);
    auto slash = options();
    slash.id = "../escape";
    EXPECT_THROW(log_file{slash}, std::invalid_argument);
    EXPECT_THROW(log_file(options(0)), std::invalid_argument);
    EXPECT_THROW(log_file(options(100, 0)), std::invalid_argument);
}

TEST_F(LogFileTest, AMissingDirectoryDropsLinesThenRecoversWithANote) {
    auto o = options();
    o.dir = dir_ / "later";
    log_file log(std::move(o));
    EXPECT_NO_THROW(log.write("lost one\nlost two\n"));
    EXPECT_EQ(log.dropped_lines(), 2u);
    EXPECT_EQ(log.dropped_bytes(), 18u);
    EXPECT_EQ(log.last_error(), ENOENT);
    fs::create_directories(dir_ / "later");
    log.write("kept\n");
    EXPECT_EQ(read_text(log.path()),
              "[skyd] 2 lines dropped here: No such file or directory\nkept\n");
    EXPECT_EQ(log.last_error(), 0);
    EXPECT_EQ(log.dropped_lines(), 2u);
}

TEST_F(LogFileTest, AfterAFailureLinesAreDroppedUntilRetryAfter) {
    auto o = options();
    o.dir = dir_ / "later";
    o.retry_after = std::chrono::hours(1);
    log_file log(std::move(o));
    fs::create_directories(dir_ / "later");
    log.write("dropped: the next try is an hour away\n");
    EXPECT_EQ(log.dropped_lines(), 1u);
    EXPECT_FALSE(fs::exists(log.path()));
}

TEST_F(LogFileTest, AFifoInPlaceOfTheFileDropsLinesInsteadOfBlocking) {
    ASSERT_EQ(::mkfifo(file(0).c_str(), 0600), 0);
    log_file log(options());  // with nobody reading the FIFO, a blocking open would hang here
    log.write("nowhere to go\n");
    EXPECT_EQ(log.dropped_lines(), 1u);
    EXPECT_EQ(log.last_error(), ENXIO);
}

// A real full disk: a 64 KiB tmpfs, half taken by a file "filler", mounted
// in a mount namespace of a child of ours (unshare -m) and reached through
// /proc/<child>/root, so that nothing is mounted where the rest of the
// machine sees it. Empty if this machine does not let us (not root, no
// CAP_SYS_ADMIN); `holder` keeps the namespace while it runs.
fs::path full_tmpfs(const fs::path& mnt, std::optional<testing::child_process>& holder) {
    if (::geteuid() != 0) {
        return {};
    }
    fs::create_directories(mnt);
    holder.emplace(
        "/usr/bin/unshare",
        std::vector<std::string>{
            "-m", "sh", "-c",
            "mount -t tmpfs -o size=64k tmpfs " + mnt.string() + " && head -c 32768 /dev/zero > " +
                mnt.string() + "/filler && touch " + mnt.string() + "/ready && exec sleep 600"});
    const fs::path seen = "/proc/" + std::to_string(holder->pid()) + "/root" + mnt.string();
    testing::eventually([&] { return fs::exists(seen / "ready") || !holder->running(); });
    return fs::exists(seen / "ready") ? seen : fs::path{};
}

// Checks that every line of `path` is whole (a torn one was cut back off):
// `line`, "back", or a note saying how many lines were dropped before it.
// Returns {whole lines, lines the notes say were dropped}.
std::pair<std::uint64_t, std::uint64_t> count_lines(const fs::path& path, const std::string& line) {
    const std::regex note(R"(\[skyd\] (\d+) lines dropped here: No space left on device)");
    std::istringstream text(read_text(path));
    std::uint64_t whole = 0;
    std::uint64_t noted = 0;
    std::string last;
    for (std::string l; std::getline(text, l); last = l) {
        std::smatch m;
        if (std::regex_match(l, m, note)) {
            noted += std::stoull(m[1].str());
        } else if (l != "back") {
            EXPECT_EQ(l + "\n", line);
            ++whole;
        }
    }
    EXPECT_EQ(last, "back");
    return {whole, noted};
}

TEST_F(LogFileTest, AFullDiskDropsWholeLinesCountedAndWritingResumes) {
    std::optional<testing::child_process> holder;
    const fs::path seen = full_tmpfs(dir_ / "mnt", holder);
    if (seen.empty()) {
        GTEST_SKIP() << "could not mount a tmpfs in a private mount namespace (needs root)";
    }
    auto o = options();
    o.dir = seen;
    log_file log(std::move(o));
    const std::string line = std::string(999, 'z') + "\n";
    int written = 0;
    for (; written < 200 && log.dropped_lines() == 0; ++written) {
        log.write(line);
    }
    ASSERT_GT(log.dropped_lines(), 0u) << "64 KiB took 200 KB";
    EXPECT_EQ(log.last_error(), ENOSPC);
    for (int i = 0; i < 10; ++i) {
        EXPECT_NO_THROW(log.write(line));
    }
    fs::remove(seen / "filler");  // space again
    log.write("back\n");
    EXPECT_EQ(log.last_error(), 0);

    const auto [whole, noted] = count_lines(log.path(), line);
    EXPECT_GT(noted, 0u);
    EXPECT_EQ(noted, log.dropped_lines());
    EXPECT_EQ(whole + log.dropped_lines(), static_cast<std::uint64_t>(written) + 10);
    EXPECT_EQ(log.dropped_bytes(), log.dropped_lines() * line.size());
}

}  // namespace
}  // namespace skynet::daemon
