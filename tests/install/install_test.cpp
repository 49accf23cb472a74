// Skynet as another project uses it: this build tree installed into a prefix
// of the test's own, the consumer project (tests/install/consumer) built from
// outside the tree with find_package(Skynet), and again with a plain g++ and
// `pkg-config --cflags --libs skynet`; each greeter and client run against a
// real skynet-broker. Work directories stay at one path per build tree, so
// that ccache recognises a consumer it compiled before.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "skynet/version.hpp"
#include "support/bus_helpers.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A configure or a build on a loaded 2-core machine.
constexpr auto build_limit = std::chrono::milliseconds(240s);

fs::path fresh_dir(const std::string& name) {
    auto dir = fs::path(SKYNET_INSTALL_WORK_DIR) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::string greeting = std::string("hello from skynet ") + SKYNET_VERSION_STRING;

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string word; in >> word;) {
        out.push_back(word);
    }
    return out;
}

::testing::AssertionResult succeeded(const std::string& what, const run_result& run) {
    if (run.status == 0) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << what << " ended with status " << run.status << "\n"
                                         << run.out << run.err;
}

// The libraries, headers, CMake package and pkg-config files; no binaries.
::testing::AssertionResult install_into(const fs::path& prefix) {
    for (const std::string component : {"libraries", "development"}) {
        auto run = run_program(
            SKYNET_CMAKE,
            {"--install", SKYNET_BUILD_DIR, "--prefix", prefix.string(), "--component", component},
            build_limit);
        if (run.status != 0) {
            return succeeded("cmake --install --component " + component, run);
        }
    }
    return ::testing::AssertionSuccess();
}

// This tree installed into dir/prefix, and the CMake project in `source`
// configured against it (find_package) and built in dir/build, with this
// tree's compiler, launcher and sanitizer flags.
::testing::AssertionResult build_against_install(const std::string& source, const fs::path& dir) {
    if (auto installed = install_into(dir / "prefix"); !installed) {
        return installed;
    }
    const std::string flags = SKYNET_CONSUMER_FLAGS;
    auto configure =
        run_program(SKYNET_CMAKE,
                    {"-S", source, "-B", (dir / "build").string(),
                     "-DCMAKE_PREFIX_PATH=" + (dir / "prefix").string(),
                     std::string("-DCMAKE_CXX_COMPILER=") + SKYNET_CXX,
                     std::string("-DCMAKE_CXX_COMPILER_LAUNCHER=") + SKYNET_CXX_LAUNCHER,
                     "-DCMAKE_CXX_FLAGS=" + flags, "-DCMAKE_EXE_LINKER_FLAGS=" + flags},
                    build_limit);
    if (configure.status != 0) {
        return succeeded("configuring " + source, configure);
    }
    return succeeded(
        "building " + source,
        run_program(SKYNET_CMAKE, {"--build", (dir / "build").string(), "-j2"}, build_limit));
}

// A broker and the greeter built by the consumer; the client's output.
run_result greet(const std::string& greeter, const std::string& client_program) {
    const auto endpoint = loopback_endpoint(free_port());
    child_process broker("skynet-broker", {"--bind", endpoint, "--log-level", "warn"});
    child_process service(greeter, {endpoint});
    client ours(fast_client_options(endpoint));
    if (!wait_for_service(ours, "greeter")) {
        return {-1, "", "greeter never reached the broker: " + service.stderr_text()};
    }
    return run_program(client_program, {endpoint}, 60s);
}

TEST(Install, PutsEachPieceWhereGnuInstallDirsSays) {
    const auto prefix = fresh_dir("layout") / "prefix";
    ASSERT_TRUE(install_into(prefix));
    const auto lib = prefix / SKYNET_LIBDIR;
    for (const std::string name :
         {"bus", "runtime", "registry", "broker", "worker", "client", "service"}) {
        EXPECT_TRUE(fs::exists(lib / ("libskynet_" + name + ".a"))) << name;
        // The link a linker finds, the SONAME a program records, the file.
        EXPECT_TRUE(fs::is_symlink(lib / ("libskynet_" + name + ".so"))) << name;
        const auto so = lib / ("libskynet_" + name + ".so.");
        EXPECT_TRUE(fs::is_symlink(so.string() + std::to_string(SKYNET_VERSION_MAJOR))) << name;
        EXPECT_TRUE(fs::is_regular_file(so.string() + SKYNET_VERSION_STRING)) << name;
        EXPECT_TRUE(fs::exists(lib / "pkgconfig" / ("skynet-" + name + ".pc"))) << name;
    }
    EXPECT_TRUE(fs::exists(lib / "pkgconfig" / "skynet.pc"));
    EXPECT_TRUE(fs::exists(lib / "cmake" / "Skynet" / "SkynetConfig.cmake"));
    EXPECT_TRUE(fs::exists(lib / "cmake" / "Skynet" / "SkynetConfigVersion.cmake"));
    EXPECT_TRUE(fs::exists(prefix / "include" / "skynet" / "version.hpp"));
    EXPECT_TRUE(fs::exists(prefix / "include" / "skynet" / "worker" / "worker.hpp"));
    EXPECT_TRUE(fs::exists(prefix / "include" / "skynet" / "bus" / "bson.hpp"));
    // Our warning flags (and a sanitizer's) are no business of a user's build.
    const auto targets = read_text(lib / "cmake" / "Skynet" / "SkynetTargets.cmake");
    EXPECT_NE(targets.find("Skynet::worker_shared"), std::string::npos);
    EXPECT_EQ(targets.find("-Werror"), std::string::npos);
    EXPECT_EQ(targets.find("-fsanitize"), std::string::npos);
}

TEST(Install, LibrariesOnlyLeavesOutTheToolsAndTheirDependencies) {
    const auto dir = fresh_dir("libraries_only");
    auto configure = run_program(
        SKYNET_CMAKE,
        {"-S", SKYNET_SOURCE_DIR, "-B", (dir / "build").string(), "-DSKYNET_LIBRARIES_ONLY=ON"},
        build_limit);
    ASSERT_TRUE(succeeded("configuring with SKYNET_LIBRARIES_ONLY", configure));
    const auto cache = read_text(dir / "build" / "CMakeCache.txt");
    EXPECT_EQ(cache.find("LIBEDIT_"), std::string::npos);  // sky's shell
    EXPECT_EQ(cache.find("GTest_DIR"), std::string::npos);
    // nlohmann-json may be looked for: skynet::json (bus/json.hpp) is a
    // library, made only where it is installed.
    auto targets =
        run_program(SKYNET_CMAKE, {"--build", (dir / "build").string(), "--target", "help"});
    ASSERT_TRUE(succeeded("listing the targets", targets));
    EXPECT_NE(targets.out.find("skynet_worker_shared"), std::string::npos) << targets.out;
    EXPECT_NE(targets.out.find("skynet-broker"), std::string::npos) << targets.out;
    for (const std::string tool : {"... sky\n", "skynet-bench", "echo-service", "install_tests"}) {
        EXPECT_EQ(targets.out.find(tool), std::string::npos) << tool;
    }
}

TEST(Install, AFindPackageProjectBuildsAndItsClientIsGreeted) {
    const auto dir = fresh_dir("find_package");
    ASSERT_TRUE(build_against_install(SKYNET_CONSUMER_DIR, dir));

    auto run =
        greet((dir / "build" / "greeter").string(), (dir / "build" / "greeter-client").string());
    ASSERT_TRUE(succeeded("greeter-client", run));
    EXPECT_NE(run.out.find(greeting), std::string::npos) << run.out;
}

// The tutorial's project (docs/tutorial.md, examples/tutorial) as a reader
// builds it: its own CMakeLists.txt, against the installed package.
TEST(Install, TheTutorialsProjectBuildsAndGreets) {
    const auto dir = fresh_dir("tutorial");
    ASSERT_TRUE(build_against_install(std::string(SKYNET_SOURCE_DIR) + "/examples/tutorial", dir));

    const auto endpoint = loopback_endpoint(free_port());
    child_process broker("skynet-broker", {"--bind", endpoint, "--log-level", "warn"});
    child_process service((dir / "build" / "greeter-service").string(), {"--broker", endpoint});
    client ours(fast_client_options(endpoint));
    ASSERT_TRUE(wait_for_service(ours, "greeter")) << service.stderr_text();
    auto run = run_program((dir / "build" / "greeter-client").string(),
                           {"--broker", endpoint, "--name", "Ada"}, 60s);
    ASSERT_TRUE(succeeded("greeter-client", run));
    EXPECT_EQ(run.out, "hello Ada\n");
}

// `g++ <source> $(pkg-config --cflags --libs skynet)`, as a user types it.
::testing::AssertionResult compile_with_pkg_config(const fs::path& prefix,
                                                   const std::string& source,
                                                   const fs::path& program) {
    const auto lib = prefix / SKYNET_LIBDIR;
    auto flags = run_program("/usr/bin/env", {"PKG_CONFIG_PATH=" + (lib / "pkgconfig").string(),
                                              SKYNET_PKG_CONFIG, "--cflags", "--libs", "skynet"});
    if (flags.status != 0) {
        return succeeded("pkg-config --cflags --libs skynet", flags);
    }
    // Through env, which finds a launcher such as ccache on the PATH.
    std::vector<std::string> command = words(SKYNET_CXX_LAUNCHER);
    command.push_back(SKYNET_CXX);
    for (auto& word : words(std::string("-std=c++20 ") + SKYNET_CONSUMER_FLAGS)) {
        command.push_back(word);
    }
    command.push_back(std::string(SKYNET_CONSUMER_DIR) + "/" + source);
    command.insert(command.end(), {"-o", program.string(), "-Wl,-rpath," + lib.string()});
    for (auto& word : words(flags.out)) {
        command.push_back(word);
    }
    return succeeded("g++ " + source, run_program("/usr/bin/env", command, build_limit));
}

TEST(Install, APkgConfigProgramBuildsAndItsClientIsGreeted) {
    const auto dir = fresh_dir("pkg_config");
    ASSERT_TRUE(install_into(dir / "prefix"));
    ASSERT_TRUE(compile_with_pkg_config(dir / "prefix", "greeter.cpp", dir / "greeter"));
    ASSERT_TRUE(compile_with_pkg_config(dir / "prefix", "client.cpp", dir / "greeter-client"));

    auto run = greet((dir / "greeter").string(), (dir / "greeter-client").string());
    ASSERT_TRUE(succeeded("greeter-client", run));
    EXPECT_NE(run.out.find(greeting), std::string::npos) << run.out;
}

}  // namespace
}  // namespace skynet::testing
