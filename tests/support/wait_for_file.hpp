#pragma once
// For the child processes the tests start: the test says "go on" by
// creating a file, which the child waits for.

#include <chrono>
#include <filesystem>
#include <thread>

#include "skynet/bus/clock.hpp"

namespace skynet::testing {

// True once `path` exists; false at the deadline (the caller gave up).
inline bool wait_for_file(const std::filesystem::path& path, bus::time_point deadline) {
    while (!std::filesystem::exists(path)) {
        if (bus::clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace skynet::testing
