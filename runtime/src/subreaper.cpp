#include "skynet/runtime/subreaper.hpp"

#include <dirent.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace skynet::runtime {
namespace {

// The parent pid in a /proc/<pid>/stat line: field 4, after the name's ')'.
pid_t parent_in(std::string_view stat_line) {
    const auto close = stat_line.rfind(')');
    if (close == std::string_view::npos || close + 5 > stat_line.size()) {
        return -1;
    }
    // ") S 1234 ..." : skip ") ", the state and a space.
    const auto rest = stat_line.substr(close + 4);
    pid_t parent = -1;
    std::from_chars(rest.data(), rest.data() + rest.size(), parent);
    return parent;
}

// Our children, ended or not, from /proc (the kernel's per-task children
// lists need CONFIG_PROC_CHILDREN, which not every kernel has).
std::vector<pid_t> our_children() {
    std::vector<pid_t> children;
    std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    if (!proc) {
        return children;
    }
    const pid_t self = ::getpid();
    while (const dirent* entry = ::readdir(proc.get())) {
        pid_t pid = 0;
        const std::string_view name = entry->d_name;
        if (std::from_chars(name.data(), name.data() + name.size(), pid).ec != std::errc{}) {
            continue;
        }
        std::ifstream in("/proc/" + std::string(name) + "/stat");
        const std::string line((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        if (parent_in(line) == self) {
            children.push_back(pid);
        }
    }
    return children;
}

exit_status status_of(const siginfo_t& info) {
    if (info.si_code == CLD_EXITED) {
        return {info.si_status, 0};
    }
    return {0, info.si_status};
}

// Reaps `pid` if it has ended; its status, or nothing.
std::optional<exit_status> reap_if_ended(pid_t pid) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG) != 0 ||
        info.si_pid != pid) {
        return std::nullopt;
    }
    return status_of(info);
}

}  // namespace

bool is_child_subreaper() {
    int on = 0;
    return ::prctl(PR_GET_CHILD_SUBREAPER, &on, 0, 0, 0) == 0 && on != 0;
}

subreaper::subreaper() {
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        throw std::system_error(errno, std::generic_category(), "prctl(PR_SET_CHILD_SUBREAPER)");
    }
}

subreaper::~subreaper() {
    ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}

std::size_t subreaper::reap_untracked(const tracked_fn& tracked, const reaped_fn& reaped) {
    std::size_t count = 0;
    for (;;) {
        // Cheap first look (WNOWAIT: nothing is reaped): has any child ended?
        siginfo_t info{};
        if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) {
            return count;
        }
        if (tracked && tracked(info.si_pid)) {
            break;  // its owner's: look for others by name below
        }
        auto status = reap_if_ended(info.si_pid);
        if (!status) {
            break;  // taken by another thread meanwhile: the scan below finds the rest
        }
        ++count;
        if (reaped) {
            reaped(info.si_pid, *status);
        }
    }
    // A tracked child that ended hides the others from P_ALL: ask each of
    // our children by pid instead.
    for (pid_t pid : our_children()) {
        if (tracked && tracked(pid)) {
            continue;
        }
        if (auto status = reap_if_ended(pid)) {
            ++count;
            if (reaped) {
                reaped(pid, *status);
            }
        }
    }
    return count;
}

}  // namespace skynet::runtime
