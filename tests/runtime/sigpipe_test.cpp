// SIGPIPE: a process served by runtime::serve() whose output reader goes
// away gets EPIPE from its write and goes on, rather than dying of SIGPIPE.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include "skynet/runtime/serve.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

TEST(SigpipeTest, StopSignalsIgnoreSigpipe) {
    struct sigaction before {};
    ::sigaction(SIGPIPE, nullptr, &before);
    {
        runtime::stop_signals signals;
        struct sigaction now {};
        ::sigaction(SIGPIPE, nullptr, &now);
        EXPECT_EQ(now.sa_handler, SIG_IGN);
        int ends[2];
        ASSERT_EQ(::pipe(ends), 0);
        ::close(ends[0]);  // the reader goes away
        EXPECT_EQ(::write(ends[1], "x", 1), -1);
        EXPECT_EQ(errno, EPIPE);
        ::close(ends[1]);
    }
    ::sigaction(SIGPIPE, &before, nullptr);
}

// `sigpipe_child | head -n 1`: head reads one line and exits, as a log
// reader that goes away; with pipefail, bash's status is the child's.
TEST(SigpipeTest, AServedProcessWhoseReaderLeftGetsEpipe) {
    const auto marker =
        std::filesystem::temp_directory_path() / ("skynet-sigpipe-" + std::to_string(::getpid()));
    std::filesystem::remove(marker);
    const auto child = (bin_dir() / "sigpipe_child").string();
    auto run = run_program(
        "/bin/bash",
        {"-c", "set -o pipefail; \"$0\" \"$1\" | head -n 1 >/dev/null", child, marker.string()});
    EXPECT_EQ(run.status, 0) << "141 is death by SIGPIPE; stderr: " << run.err;
    std::ifstream in(marker);
    std::string said;
    std::getline(in, said);
    EXPECT_EQ(said, "EPIPE");
    std::filesystem::remove(marker);
}

}  // namespace
}  // namespace skynet::testing
