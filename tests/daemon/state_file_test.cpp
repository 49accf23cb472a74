// The state file: written atomically, read back the same, and a bad one
// set aside rather than emptied.
#include "skynet/daemon/state_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using skynet::daemon::saved_process;
using skynet::daemon::state_file;

class StateFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("StateFileTest-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::vector<fs::path> files() const {
        std::vector<fs::path> out;
        for (const auto& entry : fs::directory_iterator(dir_)) {
            out.push_back(entry.path().filename());
        }
        return out;
    }

    fs::path dir_;
};

saved_process sample(std::string id, pid_t pid) {
    saved_process p;
    p.id = std::move(id);
    p.spec.argv = {"/bin/sleep", "100"};
    p.spec.env = {"X=1"};
    p.pid = pid;
    p.start_time = 123456789012ull;
    p.restarts = 4;
    p.last_exit = "signal SIGKILL";
    p.started_at = 1700000000123;
    return p;
}

TEST_F(StateFileTest, WhatIsWrittenIsReadBack) {
    state_file file(dir_);
    std::vector<saved_process> written{sample("svc-h-000000000001", 42),
                                       sample("svc-h-000000000002", 0)};
    written[1].wanted_running = false;
    written[1].crash_looping = true;
    file.write(written);
    auto read = file.read();
    ASSERT_TRUE(read.ok()) << read.err().detail;
    EXPECT_EQ(*read, written);
    // A rewrite replaces it and leaves no temporary file beside it.
    file.write({written[0]});
    read = file.read();
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->size(), 1u);
    EXPECT_EQ(files(), std::vector<fs::path>{"processes.json"});
}

TEST_F(StateFileTest, NoFileIsNoProcesses) {
    auto read = state_file(dir_).read();
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->empty());
}

TEST_F(StateFileTest, ABadFileIsSetAsideWithItsLineNamed) {
    state_file file(dir_);
    const std::string text =
        "{\"processes\": [\n  {\"id\": \"svc-a\",\n   \"spec\": {\"argv\": [\"x\"]}},\n  "
        "oops\n]}\n";
    std::ofstream(file.path()) << text;
    auto read = file.read();
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.err().detail.find("processes.json:4:"), std::string::npos) << read.err().detail;
    const auto names = files();
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].string().rfind("processes.json.bad-", 0), 0u) << names[0];
    std::ifstream aside(dir_ / names[0]);
    std::string kept((std::istreambuf_iterator<char>(aside)), std::istreambuf_iterator<char>());
    EXPECT_EQ(kept, text);  // kept whole, for a person to read
}

TEST_F(StateFileTest, AnEntryWithoutASpecNamesItsLine) {
    state_file file(dir_);
    std::ofstream(file.path()) << "{\"processes\": [\n  {\"id\": \"svc-a\", \"spec\": {\"argv\": "
                                  "[\"x\"]}},\n  {\"id\": \"svc-b\"}\n]}\n";
    auto read = file.read();
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.err().detail.find("processes.json:3:"), std::string::npos) << read.err().detail;
    EXPECT_FALSE(fs::exists(file.path()));
}

TEST_F(StateFileTest, WritingIntoAMissingDirectoryThrowsNamingIt) {
    state_file file(dir_ / "absent");
    try {
        file.write({sample("svc-a", 1)});
        FAIL() << "no exception";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("absent"), std::string::npos) << e.what();
    }
}

}  // namespace
