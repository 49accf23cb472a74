// process_handle: a process that is not our child is opened by pid and start
// time (a reused pid is refused), watched to its end, signalled, and
// terminated with its whole process group.
#include "skynet/runtime/process_handle.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "proc_helpers.hpp"
#include "skynet/runtime/child_process.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

// Field 22 is 98765; the name holds spaces and parentheses.
constexpr std::string_view stat_line =
    "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 3 1 0 0 20 0 1 0 98765 1000 50 "
    "18446744073709551615\n";

TEST(ProcessHandleTest, StartTimeIsReadAfterTheLastParenthesis) {
    EXPECT_EQ(runtime::parse_start_time(stat_line), 98765U);
    for (std::string_view bad :
         {"", "4242 no name at all", "4242 (sh) S 1 2 3",
          "4242 (sh) S 1 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 abc 1",
          "4242 (sh) S 1 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12x 1", ") 4242 (sh"}) {
        EXPECT_EQ(runtime::parse_start_time(bad), std::nullopt) << bad;
    }
}

TEST(ProcessHandleTest, OurStartTimeIsTheOneProcSays) {
    std::ifstream in("/proc/self/stat");
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_TRUE(runtime::parse_start_time(line));
    EXPECT_EQ(runtime::process_start_time(::getpid()), runtime::parse_start_time(line));
    EXPECT_EQ(runtime::process_start_time(-1), std::nullopt);
}

// A process that is not ours: the shell that started it exits, so it goes
// to init (or the nearest subreaper), never to us.
pid_t start_orphan(runtime::child_process& shell) {
    runtime::spawn_options options;
    options.argv = {"/bin/sh", "-c", "sleep 60 & echo $!"};
    options.out = runtime::child_stream::pipe();
    shell = runtime::child_process(options);
    const pid_t orphan = read_pid_line(shell.stdout_fd());
    shell.wait();
    return orphan;
}

TEST(ProcessHandleTest, ANonChildIsOpenedWatchedAndKilled) {
    runtime::child_process shell;
    const pid_t orphan = start_orphan(shell);
    ASSERT_GT(orphan, 0);
    const auto started = runtime::process_start_time(orphan);
    ASSERT_TRUE(started);
    auto handle = runtime::process_handle::open(orphan, *started);
    ASSERT_TRUE(handle);
    struct kill_at_end {  // whatever fails below, no sleeper outlives the test
        runtime::process_handle& h;
        ~kill_at_end() { h.signal(SIGKILL); }
    } cleanup{*handle};
    EXPECT_NE(parent_of(orphan), ::getpid());
    EXPECT_TRUE(handle->alive());
    EXPECT_GE(handle->exit_fd(), 0);
    EXPECT_EQ(runtime::process_handle::open(orphan, *started + 1), std::nullopt)
        << "another start time: the pid names another process";
    EXPECT_TRUE(handle->signal(SIGKILL));
    EXPECT_TRUE(handle->wait_for(generous));
    EXPECT_FALSE(handle->alive());
}

TEST(ProcessHandleTest, AGonePidIsNotOpened) {
    runtime::spawn_options options;
    options.argv = {"/bin/true"};
    runtime::child_process gone(options);
    const pid_t pid = gone.pid();
    const auto started = runtime::process_start_time(pid);
    gone.wait();
    ASSERT_TRUE(started);
    // Reaped: the pid names nothing, or (rarely) a newer process.
    EXPECT_EQ(runtime::process_handle::open(pid, *started), std::nullopt);
}

TEST(ProcessHandleTest, TerminateEndsTheWholeGroup) {
    runtime::spawn_options options;  // its own process group, as skyd's children have
    options.argv = {"/bin/sh", "-c", "sleep 60 & echo $!; wait"};
    options.out = runtime::child_stream::pipe();
    runtime::child_process leader(options);
    const pid_t member = read_pid_line(leader.stdout_fd());
    ASSERT_GT(member, 0);
    auto group = runtime::process_handle::open(leader.pid(),
                                               runtime::process_start_time(leader.pid()).value());
    auto sleeper =
        runtime::process_handle::open(member, runtime::process_start_time(member).value());
    ASSERT_TRUE(group && sleeper);
    struct kill_at_end {
        runtime::process_handle& h;
        ~kill_at_end() { h.signal(SIGKILL); }
    } cleanup{*sleeper};
    EXPECT_TRUE(group->terminate(generous));
    EXPECT_TRUE(sleeper->wait_for(generous)) << "the group's other member survived";
    EXPECT_EQ(leader.wait().signal, SIGTERM);
}

TEST(ProcessHandleTest, HandlesAreMoveOnly) {
    static_assert(!std::is_copy_constructible_v<runtime::process_handle>);
    static_assert(std::is_nothrow_move_constructible_v<runtime::process_handle>);
    runtime::process_handle empty;
    EXPECT_EQ(empty.exit_fd(), -1);
    EXPECT_FALSE(empty.signal(0));
}

}  // namespace
}  // namespace skynet::testing
