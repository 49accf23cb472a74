// Child processes: what they are started with, how they end, and that
// nothing of theirs survives terminate() or the owner's destructor.
#include "skynet/runtime/child_process.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>
#include <type_traits>

#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
using runtime::child_stream;
using runtime::exit_status;
using runtime::spawn_options;

static_assert(std::is_nothrow_move_constructible_v<runtime::child_process>);
static_assert(std::is_nothrow_move_assignable_v<runtime::child_process>);
static_assert(!std::is_copy_constructible_v<runtime::child_process>);

spawn_options program(std::vector<std::string> argv) {
    spawn_options o;
    o.argv = std::move(argv);
    return o;
}

spawn_options shell(const std::string& script) {
    return program({"/bin/sh", "-c", script});
}

// Everything it writes to our end of a pipe, until it closes it.
std::string read_all(int fd) {
    std::string text;
    char chunk[256];
    for (;;) {
        const auto n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return text;
        }
        text.append(chunk, static_cast<std::size_t>(n));
    }
}

// The first line it writes to our end of a pipe, without its newline.
std::string first_line(int fd) {
    std::string line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n') {
        line += c;
    }
    return line;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Gone, or a zombie waiting for whoever adopted it: either way not running.
bool not_running(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return true;
    }
    const auto state = line.find(") ");
    return state != std::string::npos && (line[state + 2] == 'Z' || line[state + 2] == 'X');
}

std::filesystem::path scratch(const std::string& name) {
    return std::filesystem::temp_directory_path() /
           ("skynet-child-test-" + std::to_string(::getpid()) + "-" + name);
}

TEST(ChildProcessTest, ExitCodeAndSignalAreReported) {
    runtime::child_process exits(shell("exit 3"));
    EXPECT_EQ(exits.wait(), (exit_status{3, 0}));
    EXPECT_EQ(exits.status()->to_string(), "exit 3");
    EXPECT_FALSE(exits.running());

    runtime::child_process killed(shell("kill -KILL $$"));
    auto status = killed.wait();
    EXPECT_EQ(status.signal, SIGKILL);
    EXPECT_EQ(status.shell_status(), 128 + SIGKILL);
    EXPECT_EQ(status.to_string(), "signal SIGKILL");
}

TEST(ChildProcessTest, OutputGoesToFilesTruncatedOrAppended) {
    const auto out = scratch("out");
    const auto err = scratch("err");
    std::ofstream(out) << "old\n";
    auto o = shell("echo out; echo err >&2");
    o.out = child_stream::file(out);
    o.err = child_stream::file(err);
    EXPECT_TRUE(runtime::child_process(o).wait().success());
    EXPECT_EQ(read_file(out), "out\n");
    EXPECT_EQ(read_file(err), "err\n");
    o.out = child_stream::file(out, true);
    EXPECT_TRUE(runtime::child_process(o).wait().success());
    EXPECT_EQ(read_file(out), "out\nout\n");
    std::filesystem::remove(out);
    std::filesystem::remove(err);
}

TEST(ChildProcessTest, EnvironmentAndWorkingDirectoryAreItsOwn) {
    const auto dir = std::filesystem::canonical(std::filesystem::temp_directory_path());
    auto o = shell("echo \"$SKYNET_CHILD_TEST:${HOME:-none}\"; pwd");
    o.env = {"SKYNET_CHILD_TEST=42"};
    o.working_dir = dir;
    o.out = child_stream::pipe();
    runtime::child_process child(o);
    const std::string home = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "none";
    EXPECT_EQ(read_all(child.stdout_fd()), "42:" + home + "\n" + dir.string() + "\n");
    EXPECT_TRUE(child.wait().success());

    o.clear_env = true;
    runtime::child_process bare(o);
    EXPECT_EQ(read_all(bare.stdout_fd()), "42:none\n" + dir.string() + "\n");
}

TEST(ChildProcessTest, UnsetNamesOfOursAreNotPassedOn) {
    auto o = shell("echo \"${HOME:-none}:${SKYNET_CHILD_TEST:-none}\"");
    o.unset_env = {"HOME", "SKYNET_CHILD_TEST"};
    o.env = {"SKYNET_CHILD_TEST=given"};  // what it is given still comes
    o.out = child_stream::pipe();
    runtime::child_process child(o);
    EXPECT_EQ(read_all(child.stdout_fd()), "none:given\n");
    EXPECT_TRUE(child.wait().success());
}

TEST(ChildProcessTest, PipesBothWays) {
    spawn_options o;
    o.argv = {"cat"};  // found in PATH
    o.in = child_stream::pipe();
    o.out = child_stream::pipe();
    runtime::child_process cat(o);
    ASSERT_EQ(::write(cat.stdin_fd(), "hello\n", 6), 6);
    cat.close_stdin();  // its end of file
    EXPECT_EQ(read_all(cat.stdout_fd()), "hello\n");
    EXPECT_TRUE(cat.wait().success());
}

TEST(ChildProcessTest, WhatCannotStartIsAClearError) {
    auto expect_error = [](spawn_options o, const std::string& says) {
        try {
            runtime::child_process child(std::move(o));
            ADD_FAILURE() << "started";
        } catch (const std::system_error& e) {
            EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
        }
    };
    expect_error(program({"/nonexistent/service"}), "/nonexistent/service");
    expect_error(program({"skynet-no-such-program"}), "skynet-no-such-program");
    const auto not_executable = scratch("data");
    std::ofstream(not_executable) << "data\n";  // mode 0644
    expect_error(program({not_executable.string()}), "Permission denied");
    std::filesystem::remove(not_executable);
    auto lost = program({"/bin/true"});
    lost.working_dir = "/nonexistent";
    expect_error(lost, "working directory");
    auto unwritable = program({"/bin/true"});
    unwritable.out = child_stream::file("/nonexistent/out");
    expect_error(unwritable, "stream");
    EXPECT_THROW(runtime::child_process(spawn_options{}), std::invalid_argument);
    // Each failed start was reaped: no child of ours is left, not even a zombie.
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
}

TEST(ChildProcessTest, ResourceLimitsAreItsOwn) {
    auto o = shell("ulimit -n; ulimit -c");
    o.limits = {{RLIMIT_NOFILE, {64, 64}}, {RLIMIT_CORE, {0, 0}}};
    o.out = child_stream::pipe();
    runtime::child_process child(o);
    EXPECT_EQ(read_all(child.stdout_fd()), "64\n0\n");
    EXPECT_TRUE(child.wait().success());

    rlimit ours{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &ours), 0);
    EXPECT_NE(ours.rlim_cur, 64u);  // ours are untouched
    auto impossible = program({"/bin/true"});
    impossible.limits = {{RLIMIT_NOFILE, {100, 50}}};  // soft above hard: EINVAL
    try {
        runtime::child_process refused(impossible);
        ADD_FAILURE() << "started";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("resource limits"), std::string::npos) << e.what();
    }
}

TEST(ChildProcessTest, WaitForReturnsNothingWhileItRuns) {
    runtime::child_process sleeper(program({"sleep", "300"}));
    EXPECT_FALSE(sleeper.wait_for(20ms).has_value());
    EXPECT_TRUE(sleeper.running());
    EXPECT_EQ(sleeper.terminate(generous).signal, SIGTERM);
}

TEST(ChildProcessTest, ExitFdIsReadableOnceItEnds) {
    auto o = shell("read line || true");
    o.in = child_stream::pipe();
    runtime::child_process child(o);
    ASSERT_GE(child.exit_fd(), 0);
    pollfd p{child.exit_fd(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 0), 0);  // still reading
    child.close_stdin();
    EXPECT_EQ(::poll(&p, 1, static_cast<int>(generous.count())), 1);
    EXPECT_TRUE(child.wait().success());
}

TEST(ChildProcessTest, TerminateKillsWhatIgnoresSigtermAndItsDescendants) {
    // The shell and its background sleep ignore SIGTERM: only SIGKILL ends them.
    auto o = shell("trap '' TERM; sleep 300 & echo $!; wait");
    o.out = child_stream::pipe();
    runtime::child_process child(o);
    const pid_t grandchild = std::stoi(first_line(child.stdout_fd()));
    EXPECT_EQ(child.terminate(50ms).signal, SIGKILL);
    EXPECT_TRUE(eventually([&] { return not_running(grandchild); }));
}

TEST(ChildProcessTest, TerminateEndsTheTreeOfALeaderThatLeftFirst) {
    // The leader leaves on SIGTERM at once; its child ignores SIGTERM and
    // would live on in the group.
    auto o = shell("(trap '' TERM; exec sleep 300) & echo $!; wait");
    o.out = child_stream::pipe();
    runtime::child_process child(o);
    const pid_t grandchild = std::stoi(first_line(child.stdout_fd()));
    EXPECT_EQ(child.terminate(generous).signal, SIGTERM);
    EXPECT_TRUE(eventually([&] { return not_running(grandchild); }));
}

TEST(ChildProcessTest, DestructorKillsAndReaps) {
    pid_t pid = -1;
    {
        runtime::child_process sleeper(program({"sleep", "300"}));
        pid = sleeper.pid();
        ASSERT_TRUE(sleeper.running());
    }
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);  // reaped already
    EXPECT_TRUE(not_running(pid));
}

TEST(ChildProcessTest, MovedChildrenAreOwnedOnce) {
    std::vector<runtime::child_process> children;
    for (int i = 0; i < 3; ++i) {
        children.emplace_back(program({"sleep", "300"}));
    }
    runtime::child_process moved = std::move(children[0]);
    EXPECT_EQ(children[0].pid(), -1);
    EXPECT_FALSE(children[0].running());
    EXPECT_TRUE(moved.running());
    moved = std::move(children[1]);  // the first is ended by the assignment
    EXPECT_TRUE(moved.running());
    EXPECT_EQ(moved.terminate(generous).signal, SIGTERM);
}

TEST(ChildProcessTest, StartsWithSignalsUnblockedWhateverWeBlock) {
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigset_t before;
    ::pthread_sigmask(SIG_BLOCK, &term, &before);  // as serve() does
    runtime::child_process sleeper(program({"sleep", "300"}));
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    ASSERT_TRUE(sleeper.signal(SIGTERM));
    auto status = sleeper.wait_for(generous);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->signal, SIGTERM);
}

}  // namespace
}  // namespace skynet::testing
