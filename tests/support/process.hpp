#pragma once
// Real processes for tests: started from build/bin, killed when the test ends.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "skynet/runtime/child_process.hpp"

namespace skynet::testing {

// The directory holding our binaries (build/bin), set by CMake.
std::filesystem::path bin_dir();

// A child process (runtime::child_process, in a process group of its own).
// Its stdout and stderr go to files that stdout_text() and stderr_text()
// read. The destructor kills it and its group (SIGKILL) if it still runs,
// so no test leaves one.
class child_process {
public:
    // Runs `program` (a name in bin_dir(), or a path) with `args`.
    child_process(const std::string& program, std::vector<std::string> args);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const noexcept { return process_.pid(); }
    void signal(int signo) const;
    // Waits for the exit, up to `limit`; the exit status (128 + signal for a
    // signal), or nothing if it still runs.
    std::optional<int> wait_exit(std::chrono::milliseconds limit);
    bool running();
    std::string stdout_text() const;
    std::string stderr_text() const;

private:
    std::filesystem::path out_path_, err_path_;
    // Mutable: signal() is const for tests that hold a const reference;
    // sending a signal changes nothing a test reads of it.
    mutable runtime::child_process process_;
};

// Runs a program to its end (killed after `limit`) and returns what it printed.
struct run_result {
    int status = -1;  // exit status, 128 + signal, or -1 if it had to be killed
    std::string out;
    std::string err;
};
run_result run_program(const std::string& program, std::vector<std::string> args,
                       std::chrono::milliseconds limit = std::chrono::seconds(30));

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();
std::string loopback_endpoint(int port);

}  // namespace skynet::testing
