// The bash completion script beside the binary: commands, options and live
// names, through `sky complete`, as bash calls it.

#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

// What the script offers for the line typed so far (the cursor at its end).
std::string complete(const std::string& line) {
    auto script = (bin_dir() / "sky-completion.bash").string();
    auto program = (bin_dir() / "sky").string();
    std::string words = "(" + line + ")";
    if (line.ends_with(" ")) {
        words = "(" + line + " '')";
    }
    std::string shell = "source '" + script + "'; COMP_LINE='" + line +
                        "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=" + words +
                        "; COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_WORDS[0]='" + program +
                        "'; _sky; ((${#COMPREPLY[@]})) && printf '%s\\n' \"${COMPREPLY[@]}\"";
    auto r = run_program("/bin/bash", {"-c", shell}, std::chrono::seconds(20));
    return r.out;
}

class SkyCompletionTest : public SkyTest {
protected:
    std::string offers(const std::string& line) const {
        return complete("sky --redis " + redis_.url() + " " + line);
    }
};

TEST_F(SkyCompletionTest, CommandsOptionsAndLiveNames) {
    put_cluster();
    EXPECT_EQ(offers("top"), "topology\n");
    EXPECT_EQ(offers("re"), "regions\nregister\nreset\nrestart\n");
    EXPECT_EQ(offers("instances --ser"), "--service\n");
    EXPECT_EQ(offers("instances --service "), "echo\nfibonacci\n");
    EXPECT_EQ(offers("--region "), "eu\nus\n");
    EXPECT_EQ(offers("--host h"), "h1\nh2\nh3\n");
    EXPECT_EQ(offers("call fib"), "fibonacci\n");
    EXPECT_EQ(offers("call fibonacci "), "Index\nStats\n");
    EXPECT_EQ(offers("log d"), "debug\n");
    EXPECT_EQ(offers("--service fibonacci --version "), "1.0\n1.1\n");
}

TEST_F(SkyCompletionTest, AnUnreachableRegistryOffersNoNames) {
    auto url = "redis://127.0.0.1:" + std::to_string(free_port());
    EXPECT_EQ(complete("sky --redis " + url + " --service "), "");
    EXPECT_EQ(complete("sky --redis " + url + " wat"), "watch\n");
}

}  // namespace
}  // namespace skynet::testing
