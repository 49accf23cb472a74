// subreaper: a grandchild whose parent dies comes back to us and is reaped
// with its status, while a tracked child that has ended is left to its
// owner, who still learns its exit code.
#include "skynet/runtime/subreaper.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>

#include "proc_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

runtime::child_process start_shell(const std::string& script, bool pipes) {
    runtime::spawn_options options;
    options.argv = {"/bin/sh", "-c", script};
    if (pipes) {
        options.in = runtime::child_stream::pipe();
        options.out = runtime::child_stream::pipe();
    }
    return runtime::child_process(options);
}

TEST(SubreaperTest, AnOrphanedGrandchildIsReapedHereAndATrackedChildIsNot) {
    std::map<pid_t, runtime::exit_status> reaped;
    {
        runtime::subreaper reaper;
        ASSERT_TRUE(runtime::is_child_subreaper());
        // The grandchild reads the shell's stdin (an asynchronous list's own
        // stdin is /dev/null, hence fd 3) and exits 7 at its end; the shell
        // prints its pid and exits, orphaning it.
        auto parent = start_shell("exec 3<&0; (read line <&3; exit 7) & echo $!", true);
        const pid_t grandchild = read_pid_line(parent.stdout_fd());
        ASSERT_GT(grandchild, 0);
        EXPECT_EQ(parent.wait(), (runtime::exit_status{0, 0}));
        EXPECT_TRUE(eventually([&] { return parent_of(grandchild) == ::getpid(); }));

        auto tracked = start_shell("exit 5", false);
        siginfo_t info{};  // ended, not reaped (WNOWAIT): its status is still to be had
        ASSERT_EQ(::waitid(P_PID, tracked.pid(), &info, WEXITED | WNOWAIT), 0);

        parent.close_stdin();  // the grandchild reads end of file and exits 7
        const auto is_tracked = [&](pid_t pid) { return pid == tracked.pid(); };
        EXPECT_TRUE(eventually([&] {
            reaper.reap_untracked(is_tracked, [&](pid_t pid, const runtime::exit_status& status) {
                reaped.emplace(pid, status);
            });
            return reaped.contains(grandchild);
        }));
        EXPECT_EQ(reaped[grandchild], (runtime::exit_status{7, 0}));
        EXPECT_FALSE(reaped.contains(tracked.pid()));
        EXPECT_EQ(tracked.wait(), (runtime::exit_status{5, 0}));
    }
    EXPECT_FALSE(runtime::is_child_subreaper());
}

// The kernel reports ended children oldest first: a tracked one that ended
// before the orphan must not hide it from a single call.
TEST(SubreaperTest, ATrackedChildThatEndedFirstHidesNoOrphan) {
    runtime::subreaper reaper;
    auto tracked = start_shell("exit 5", false);
    siginfo_t info{};
    ASSERT_EQ(::waitid(P_PID, tracked.pid(), &info, WEXITED | WNOWAIT), 0);
    auto parent = start_shell("exec 3<&0; (read line <&3; exit 7) & echo $!", true);
    const pid_t grandchild = read_pid_line(parent.stdout_fd());
    ASSERT_GT(grandchild, 0);
    EXPECT_EQ(parent.wait(), (runtime::exit_status{0, 0}));
    parent.close_stdin();
    ASSERT_TRUE(eventually([&] { return state_of(grandchild) == 'Z'; }));
    ASSERT_EQ(parent_of(grandchild), ::getpid());
    std::map<pid_t, runtime::exit_status> reaped;
    EXPECT_EQ(reaper.reap_untracked([&](pid_t pid) { return pid == tracked.pid(); },
                                    [&](pid_t pid, const runtime::exit_status& status) {
                                        reaped.emplace(pid, status);
                                    }),
              1U);
    EXPECT_EQ(reaped[grandchild], (runtime::exit_status{7, 0}));
    EXPECT_EQ(tracked.wait(), (runtime::exit_status{5, 0}));
}

TEST(SubreaperTest, NothingEndedNothingReaped) {
    runtime::subreaper reaper;
    auto running = start_shell("read line; exit 0", true);
    int calls = 0;
    EXPECT_EQ(reaper.reap_untracked(nullptr, [&](pid_t, const runtime::exit_status&) { ++calls; }),
              0U);
    EXPECT_EQ(calls, 0);
    EXPECT_TRUE(running.running());
    running.close_stdin();
    EXPECT_EQ(running.wait(), (runtime::exit_status{0, 0}));
}

}  // namespace
}  // namespace skynet::testing
