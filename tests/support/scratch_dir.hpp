#pragma once
// A directory of the running test's own under the system's temporary
// directory, empty at the start and removed at the end: named after the
// process and the test, so that tests run in parallel never share one.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

namespace skynet::testing {

class scratch_dir {
public:
    // <tmp>/skynet-<kind>-<pid>-<test name>
    explicit scratch_dir(const std::string& kind)
        : path_(std::filesystem::temp_directory_path() /
                ("skynet-" + kind + "-" + std::to_string(::getpid()) + "-" + test_name())) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~scratch_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    // A parameterised test's name ends in "/N": one directory, not two.
    static std::string test_name() {
        std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::replace(name.begin(), name.end(), '/', '-');
        return name;
    }

    std::filesystem::path path_;
};

}  // namespace skynet::testing
