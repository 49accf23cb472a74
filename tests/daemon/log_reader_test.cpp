// read_log: tails across rotated files, grep, and a follow cursor that
// survives rotation, over files written by a real log_file.

#include "skynet/daemon/log_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/daemon/log_file.hpp"
#include "skynet/runtime/child_process.hpp"

namespace skynet::daemon {
namespace {

namespace fs = std::filesystem;

constexpr const char* id = "svc-test-abcdef012345";

std::vector<std::string> numbered(int from, int to) {
    std::vector<std::string> lines;
    for (int i = from; i < to; ++i) {
        lines.push_back("line " + std::to_string(i));
    }
    return lines;
}

class LogReaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("skynet-log-reader-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    log_file open(std::uint64_t max_bytes, int max_files) {
        log_file_options o;
        o.dir = dir_;
        o.id = id;
        o.max_bytes = max_bytes;
        o.max_files = max_files;
        return log_file(std::move(o));
    }
    static void write(log_file& log, int from, int to) {
        for (const auto& line : numbered(from, to)) {
            log.write(line + "\n");
        }
    }
    log_page read(log_query q, int max_files = 10) {
        auto page = read_log(dir_, id, q, max_files);
        EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.err().detail);
        return page.ok() ? *page : log_page{};
    }
    log_page tail(std::size_t n, int max_files = 10) {
        log_query q;
        q.tail = n;
        return read(q, max_files);
    }
    log_page after(const std::string& cursor, int max_files = 10, std::size_t max_bytes = 1 << 20) {
        log_query q;
        q.cursor = cursor;
        q.max_bytes = max_bytes;
        return read(q, max_files);
    }

    fs::path dir_;
};

TEST_F(LogReaderTest, TailsAcrossRotatedFilesInOrder) {
    auto log = open(100, 5);
    write(log, 0, 30);  // "line NN": 8 bytes, 12 to a file
    ASSERT_TRUE(fs::exists(log_file_path(dir_, id, 2)));
    EXPECT_EQ(tail(25).lines, numbered(5, 30));
    EXPECT_EQ(tail(1000).lines, numbered(0, 30));
}

TEST_F(LogReaderTest, GrepKeepsTheLastMatchingLines) {
    auto log = open(64, 10);
    for (int i = 0; i < 20; ++i) {
        log.write((i % 2 == 0 ? "even " : "odd ") + std::to_string(i) + "\n");
    }
    log_query q;
    q.tail = 3;
    q.grep = "^odd 1";
    EXPECT_EQ(read(q).lines, (std::vector<std::string>{"odd 15", "odd 17", "odd 19"}));
}

TEST_F(LogReaderTest, AGrepThatIsNoRegexIsABadRequest) {
    log_query q;
    q.grep = "(unclosed";
    auto page = read_log(dir_, id, q);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.code(), bus::errc::bad_request);
    EXPECT_NE(page.err().detail.find("(unclosed"), std::string::npos);
}

TEST_F(LogReaderTest, ACursorNotOfOursIsABadRequest) {
    for (const char* bad : {"x", "1:2:3", "1:2:3:4:5", "1:2:3:-4", "a:b:c:d", "1:2:3:4 ",
                            ":::", "1::3:4", "99999999999999999999:1:1:1"}) {
        log_query q;
        q.cursor = bad;
        auto page = read_log(dir_, id, q);
        ASSERT_FALSE(page.ok()) << bad;
        EXPECT_EQ(page.code(), bus::errc::bad_request) << bad;
    }
}

TEST_F(LogReaderTest, ACursorGivesOnlyTheLinesWrittenAfterIt) {
    auto log = open(1 << 20, 10);
    write(log, 0, 5);
    const auto first = tail(2);
    EXPECT_EQ(first.lines, numbered(3, 5));
    write(log, 5, 8);
    const auto next = after(first.cursor);
    EXPECT_EQ(next.lines, numbered(5, 8));
    EXPECT_FALSE(next.gap);
    const auto idle = after(next.cursor);
    EXPECT_TRUE(idle.lines.empty());
    EXPECT_EQ(idle.cursor, next.cursor);
}

TEST_F(LogReaderTest, ACursorSurvivesRotation) {
    auto log = open(100, 10);
    write(log, 0, 5);
    const auto first = tail(0);
    EXPECT_TRUE(first.lines.empty());
    write(log, 5, 40);  // three rotations
    ASSERT_TRUE(fs::exists(log_file_path(dir_, id, 3)));
    const auto next = after(first.cursor);
    EXPECT_EQ(next.lines, numbered(5, 40));
    EXPECT_FALSE(next.gap);
}

TEST_F(LogReaderTest, ACursorWhoseFileWasRotatedAwaySaysGap) {
    auto log = open(100, 2);
    write(log, 0, 5);
    const auto first = tail(0);
    write(log, 5, 60);  // the cursor's file is deleted
    const auto next = after(first.cursor, 2);
    EXPECT_TRUE(next.gap);
    ASSERT_FALSE(next.lines.empty());
    EXPECT_EQ(next.lines.back(), "line 59");
    const auto idle = after(next.cursor, 2);
    EXPECT_FALSE(idle.gap);
    EXPECT_TRUE(idle.lines.empty());
}

TEST_F(LogReaderTest, NoFileYetFollowsFromTheFirstLine) {
    const auto empty = tail(10);
    EXPECT_TRUE(empty.lines.empty());
    EXPECT_FALSE(empty.cursor.empty());
    auto log = open(1 << 20, 10);
    write(log, 0, 3);
    EXPECT_EQ(after(empty.cursor).lines, numbered(0, 3));
}

TEST_F(LogReaderTest, ALineWithoutItsNewlineIsNotReadYet) {
    {
        std::ofstream out(log_file_path(dir_, id, 0), std::ios::binary);
        out << "whole\nhal";
    }
    const auto first = tail(10);
    EXPECT_EQ(first.lines, std::vector<std::string>{"whole"});
    {
        std::ofstream out(log_file_path(dir_, id, 0), std::ios::binary | std::ios::app);
        out << "f\n";
    }
    EXPECT_EQ(after(first.cursor).lines, std::vector<std::string>{"half"});
}

TEST_F(LogReaderTest, MaxBytesSplitsAFollowIntoPages) {
    auto log = open(1 << 20, 10);
    write(log, 10, 20);  // 7 bytes each
    std::vector<std::string> seen;
    std::string cursor = "start";
    for (int pages = 0; pages < 10 && seen.size() < 10; ++pages) {
        const auto page = after(cursor, 10, 15);
        EXPECT_LE(page.lines.size(), 2u);
        seen.insert(seen.end(), page.lines.begin(), page.lines.end());
        cursor = page.cursor;
    }
    EXPECT_EQ(seen, numbered(10, 20));
}

TEST_F(LogReaderTest, GrepOnAVeryLongLineDoesNotExhaustTheStack) {
    auto log = open(1 << 20, 10);
    log.write(std::string(200000, 'a') + "b\n");
    log.write("ab\n");
    log_query q;
    q.grep = "a*b";
    const auto page = read(q);
    EXPECT_EQ(page.lines, std::vector<std::string>{"ab"});  // the long one's b is past grep_span
}

// The path of `sky logs -f`: a real child's output, drained from its pipe in
// pieces that tear lines, into a log_file rotating every 4 KiB with only 3
// files kept, followed by a cursor after every piece: every line once, in
// order, with no gap.
TEST_F(LogReaderTest, FollowsARealChildsOutputThroughRotationsInOrder) {
    runtime::spawn_options o;
    o.argv = {"/bin/sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo \"line $i\"; i=$((i+1)); done"};
    o.out = runtime::child_stream::pipe();
    runtime::child_process child(std::move(o));
    auto log = open(4096, 3);
    std::vector<std::string> seen;
    std::string cursor = "start";
    const auto follow = [&] {
        const auto page = after(cursor, 3);
        EXPECT_FALSE(page.gap);
        seen.insert(seen.end(), page.lines.begin(), page.lines.end());
        cursor = page.cursor;
    };
    char piece[1000];
    for (;;) {
        const ssize_t n = ::read(child.stdout_fd(), piece, sizeof piece);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        log.write(std::string_view(piece, static_cast<std::size_t>(n)));
        follow();
    }
    log.flush();
    follow();
    EXPECT_TRUE(child.wait().success());
    EXPECT_TRUE(fs::exists(log_file_path(dir_, id, 2)));  // it did rotate
    EXPECT_EQ(seen, numbered(0, 3000));
}

}  // namespace
}  // namespace skynet::daemon
