// sky cli through a pseudo-terminal: a typed command runs, TAB completes
// commands and live service names, sticky filters apply, and the history
// survives a restart of the shell.

#include <filesystem>
#include <fstream>

#include "pty_session.hpp"
#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

class SkyShellTest : public SkyTest {
protected:
    void SetUp() override {
        home_ = std::filesystem::temp_directory_path() /
                ("sky-shell-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(home_);
        put_cluster();
    }
    void TearDown() override { std::filesystem::remove_all(home_); }

    std::unique_ptr<pty_session> shell() const {
        // HOME: the default history file goes there; an empty .editrc keeps
        // the tester's own key bindings out.
        std::ofstream(home_ / ".editrc").flush();
        return std::make_unique<pty_session>(
            (bin_dir() / "sky").string(), std::vector<std::string>{"--redis", redis_.url(), "cli"},
            std::vector<std::string>{"HOME=" + home_.string()});
    }
    std::filesystem::path home_;
};

TEST_F(SkyShellTest, ATypedCommandRuns) {
    auto sh = shell();
    ASSERT_TRUE(sh->expect("sky> ")) << sh->transcript();
    sh->type("regions\r");
    EXPECT_TRUE(sh->expect("us      1      0        1        1")) << sh->transcript();
    ASSERT_TRUE(sh->expect("sky> "));
    sh->type("exit\r");
    EXPECT_EQ(sh->wait_exit(), 0);
}

TEST_F(SkyShellTest, TabCompletesCommandsAndServiceNames) {
    auto sh = shell();
    ASSERT_TRUE(sh->expect("sky> ")) << sh->transcript();
    // libedit redraws only what TAB added: the effect shows in the prompt.
    sh->type("set service fib\t\r");
    ASSERT_TRUE(sh->expect("sky [--service fibonacci]> ")) << sh->transcript();
    sh->type("vers\t\r");
    // The sticky filter applies: only fibonacci's versions.
    EXPECT_TRUE(sh->expect("fibonacci  1.1      1          0")) << sh->transcript();
    EXPECT_EQ(sh->transcript().find("echo "), std::string::npos) << sh->transcript();
    // Keys typed before the prompt would be read in the terminal's cooked mode.
    ASSERT_TRUE(sh->expect("sky [--service fibonacci]> ")) << sh->transcript();
    sh->type("unset service\r");
    ASSERT_TRUE(sh->expect("\nsky> ")) << sh->transcript();
    sh->type("\x04");  // Ctrl-D ends the shell too
    EXPECT_EQ(sh->wait_exit(), 0) << sh->transcript();
}

TEST_F(SkyShellTest, HistorySurvivesARestart) {
    {
        auto sh = shell();
        ASSERT_TRUE(sh->expect("sky> ")) << sh->transcript();
        sh->type("hosts --region us\r");
        ASSERT_TRUE(sh->expect("h3    us       0        1        1")) << sh->transcript();
        ASSERT_TRUE(sh->expect("sky> "));
        sh->type("exit\r");
        ASSERT_EQ(sh->wait_exit(), 0);
    }
    auto sh = shell();
    ASSERT_TRUE(sh->expect("sky> ")) << sh->transcript();
    sh->type("\x10\x10\r");  // Ctrl-P twice: the line before `exit`, from the file
    EXPECT_TRUE(sh->expect("h3    us       0        1        1")) << sh->transcript();
}

TEST_F(SkyShellTest, ActingAsksForConfirmation) {
    auto sh = shell();
    ASSERT_TRUE(sh->expect("sky> ")) << sh->transcript();
    sh->type("stop --service fibonacci --timeout 300ms\r");
    ASSERT_TRUE(sh->expect("2 instances will be stopped. Continue? [y/N] ")) << sh->transcript();
    sh->type("n\r");
    EXPECT_TRUE(sh->expect("sky: nothing done")) << sh->transcript();
    ASSERT_TRUE(sh->expect("sky> "));
    sh->type("stop --service fibonacci --timeout 300ms\r");
    ASSERT_TRUE(sh->expect("Continue? [y/N] ")) << sh->transcript();
    sh->type("y\r");
    // Records without a process behind them: nobody answers, by name.
    EXPECT_TRUE(sh->expect("no answer within 300 ms: f1, f2")) << sh->transcript();
}

}  // namespace
}  // namespace skynet::testing
