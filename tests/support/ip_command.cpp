#include "ip_command.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "process.hpp"

namespace skynet::testing {

std::string ip_path() {
    for (const char* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"}) {
        if (::access(path, X_OK) == 0) {
            return path;
        }
    }
    return {};
}

std::optional<std::string> run_ip(std::vector<std::string> args) {
    std::string command = "ip";
    for (const auto& a : args) {
        command += " " + a;
    }
    auto run = run_program(ip_path(), std::move(args), std::chrono::seconds(10));
    if (run.status == 0) {
        return std::nullopt;
    }
    auto said = run.err.empty() ? run.out : run.err;
    while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) {
        said.pop_back();
    }
    return "`" + command + "` exited " + std::to_string(run.status) + ": " + said;
}

bool process_alive(int pid) {
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

}  // namespace skynet::testing
