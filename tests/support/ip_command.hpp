#pragma once
// iproute2's `ip` for the tests that make network namespaces (netsplit,
// cluster): where it is, and running it with what it said on failure.

#include <optional>
#include <string>
#include <vector>

namespace skynet::testing {

// The path of `ip`, or empty if iproute2 is not installed.
std::string ip_path();

// Runs `ip args...` (10 s at most); nothing on success, else the command and
// what it said.
std::optional<std::string> run_ip(std::vector<std::string> args);

// True while a process with this pid exists: whether the test process that
// named a namespace after itself still runs.
bool process_alive(int pid);

}  // namespace skynet::testing
