// Deploy files and process specs: JSON in, specs out, and errors that name
// the line a person has to fix.
#include "skynet/daemon/deploy_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using skynet::daemon::process_spec;
using skynet::daemon::restart_policy;

class DeployFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("DeployFileTest-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path write(const std::string& text) {
        auto path = dir_ / "deploy.json";
        std::ofstream(path) << text;
        return path;
    }

    fs::path dir_;
};

TEST_F(DeployFileTest, ReadsEveryField) {
    auto path = write(R"({"processes": [
  {"argv": ["/bin/echo", "hi"], "env": ["A=1"], "cwd": "/tmp", "restart": "on-failure",
   "count": 3, "service": "greeter", "limits": {"nofile": 256, "core": 0},
   "start_timeout_ms": 500, "stop_timeout_ms": 700},
  {"argv": ["sleep", "5"]}
]})");
    auto specs = skynet::daemon::read_deploy_file(path);
    ASSERT_TRUE(specs.ok()) << specs.err().detail;
    ASSERT_EQ(specs->size(), 2u);
    const auto& first = (*specs)[0];
    EXPECT_EQ(first.argv, (std::vector<std::string>{"/bin/echo", "hi"}));
    EXPECT_EQ(first.env, std::vector<std::string>{"A=1"});
    EXPECT_EQ(first.cwd, "/tmp");
    EXPECT_EQ(first.restart, restart_policy::on_failure);
    EXPECT_EQ(first.count, 3);
    EXPECT_EQ(first.display_name(), "greeter");
    EXPECT_EQ(first.limits.nofile, 256u);
    EXPECT_EQ(first.limits.core, 0u);
    EXPECT_FALSE(first.limits.address_space.has_value());
    EXPECT_EQ(first.start_timeout, 500ms);
    EXPECT_EQ(first.stop_timeout, 700ms);
    const auto& second = (*specs)[1];
    EXPECT_EQ(second.restart, restart_policy::always);
    EXPECT_EQ(second.count, 1);
    EXPECT_EQ(second.display_name(), "sleep");
    EXPECT_EQ(second.start_timeout, 10s);
}

TEST_F(DeployFileTest, ASpecSurvivesItsJson) {
    process_spec spec;
    spec.argv = {"/usr/bin/env", "x y"};
    spec.env = {"B=2"};
    spec.restart = restart_policy::never;
    spec.limits.address_space = 1u << 30;
    spec.stop_timeout = 1234ms;
    auto back = skynet::daemon::process_spec_from_json(to_json(spec));
    ASSERT_TRUE(back.ok()) << back.err().detail;
    EXPECT_EQ(*back, spec);
}

TEST_F(DeployFileTest, ASyntaxErrorNamesItsLine) {
    auto path = write("{\"processes\": [\n  {\"argv\": [\"a\"]},\n  {\"argv\": [\"b\"]\n]}\n");
    auto specs = skynet::daemon::read_deploy_file(path);
    ASSERT_FALSE(specs.ok());
    EXPECT_NE(specs.err().detail.find(path.string() + ":4:"), std::string::npos)
        << specs.err().detail;
    EXPECT_TRUE(fs::exists(path));  // the operator's file is left alone
}

TEST_F(DeployFileTest, ABadEntryNamesItsLineAndField) {
    auto path = write(
        "{\"processes\": [\n  {\"argv\": [\"a\"]},\n  {\"argv\": [\"b\"],\n   \"restart\": "
        "\"sometimes\"}\n]}\n");
    auto specs = skynet::daemon::read_deploy_file(path);
    ASSERT_FALSE(specs.ok());
    EXPECT_NE(specs.err().detail.find(":3: process 2: restart:"), std::string::npos)
        << specs.err().detail;
}

TEST_F(DeployFileTest, SpecsWithoutAProgramAreRefused) {
    for (const char* text :
         {R"({"argv": []})", R"({"argv": "ls"})", R"({"env": ["NOEQUALS"], "argv": ["x"]})",
          R"({"argv": ["x"], "count": 0})", R"([1])"}) {
        auto spec = skynet::daemon::process_spec_from_json(nlohmann::json::parse(text));
        EXPECT_FALSE(spec.ok()) << text;
    }
}

TEST_F(DeployFileTest, AMissingFileOrWrongShapeIsAnError) {
    EXPECT_FALSE(skynet::daemon::read_deploy_file(dir_ / "absent.json").ok());
    auto specs = skynet::daemon::read_deploy_file(write(R"({"procs": []})"));
    ASSERT_FALSE(specs.ok());
    EXPECT_NE(specs.err().detail.find("processes"), std::string::npos);
}

}  // namespace
