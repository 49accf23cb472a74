#include "skynet/runtime/cgroup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "skynet/runtime/logging.hpp"

namespace skynet::runtime {
namespace {

constexpr std::uint64_t cpu_period_us = 100'000;   // the kernel's default cpu.max period
constexpr std::uint64_t cpu_quota_min_us = 1'000;  // the smallest quota the kernel takes

std::optional<std::string> read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::istringstream in{std::string(text)};
    for (std::string w; in >> w;) {
        out.push_back(w);
    }
    return out;
}

bool contains(const std::vector<std::string>& list, std::string_view word) {
    for (const auto& w : list) {
        if (w == word) {
            return true;
        }
    }
    return false;
}

// One write, as cgroupfs takes it (the file exists there; a stand-in
// directory gets it made). 0, or the errno of what failed.
int write_raw(const std::filesystem::path& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return errno;
    }
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int saved = n < 0 ? errno : EIO;
    ::close(fd);
    return n == static_cast<ssize_t>(text.size()) ? 0 : saved;
}

bus::error write_error(const std::filesystem::path& path, const std::string& text, int failed) {
    return {bus::errc::unavailable,
            "cannot write \"" + text + "\" to " + path.string() + ": " + std::strerror(failed)};
}

bus::result<void> write_text(const std::filesystem::path& path, const std::string& text) {
    if (const int failed = write_raw(path, text); failed != 0) {
        return write_error(path, text, failed);
    }
    return {};
}

std::vector<std::string> needed_controllers(const cgroup_limits& limits) {
    std::vector<std::string> needed;
    if (limits.cpus) {
        needed.emplace_back("cpu");
    }
    if (limits.memory_max) {
        needed.emplace_back("memory");
    }
    if (limits.pids_max) {
        needed.emplace_back("pids");
    }
    return needed;
}

// The files of a child's cgroup and what goes in them; cgroup.procs last,
// so that the child is limited from its first moment there.
std::vector<std::pair<std::string, std::string>> limit_writes(const cgroup_limits& limits,
                                                              pid_t pid) {
    std::vector<std::pair<std::string, std::string>> writes;
    if (limits.memory_max) {
        writes.emplace_back("memory.max", std::to_string(*limits.memory_max));
    }
    if (limits.cpus) {
        const auto quota = static_cast<std::uint64_t>(std::llround(*limits.cpus * cpu_period_us));
        writes.emplace_back("cpu.max", std::to_string(std::max(quota, cpu_quota_min_us)) + " " +
                                           std::to_string(cpu_period_us));
    }
    if (limits.pids_max) {
        writes.emplace_back("pids.max", std::to_string(*limits.pids_max));
    }
    writes.emplace_back("cgroup.procs", std::to_string(pid));
    return writes;
}

void check(std::string_view id, const cgroup_limits& limits) {
    if (id.empty() || id == "." || id == ".." || id.find('/') != std::string_view::npos) {
        throw std::invalid_argument("cgroup: id \"" + std::string(id) + "\" is no file name");
    }
    if (limits.cpus && !(std::isfinite(*limits.cpus) && *limits.cpus > 0)) {
        throw std::invalid_argument("cgroup: cpus must be above 0");
    }
}

// The path of a process's cgroup from its "0::/path" line (cgroup v2).
std::optional<std::string> unified_path(std::string_view proc_cgroup) {
    std::istringstream in{std::string(proc_cgroup)};
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("0::", 0) == 0) {
            return line.substr(3);
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::filesystem::path> find_cgroup2_dir(std::string_view mountinfo,
                                                      std::string_view proc_cgroup) {
    const auto path = unified_path(proc_cgroup);
    if (!path) {
        return std::nullopt;
    }
    std::istringstream in{std::string(mountinfo)};
    for (std::string line; std::getline(in, line);) {
        // "id parent dev root mount-point options [optional...] - type source ..."
        const auto fields = words(line);
        const auto dash = line.find(" - ");
        if (fields.size() < 5 || dash == std::string::npos ||
            words(line.substr(dash + 3)).front() != "cgroup2") {
            continue;
        }
        const std::string& root = fields[3];
        // Paths are relative to the mount's root; a process outside it is not under this mount.
        const bool under_root = root == "/" || *path == root || (path->rfind(root + "/", 0) == 0);
        if (!under_root) {
            continue;
        }
        const auto below = std::filesystem::path(root == "/" ? *path : path->substr(root.size()));
        const std::filesystem::path mount_point(fields[4]);
        return below.relative_path().empty() ? mount_point : mount_point / below.relative_path();
    }
    return std::nullopt;
}

cgroup_placer cgroup_placer::for_this_process() {
    const auto dir = find_cgroup2_dir(read_text("/proc/self/mountinfo").value_or(""),
                                      read_text("/proc/self/cgroup").value_or(""));
    return cgroup_placer(dir.value_or(std::filesystem::path{}));
}

cgroup_placer::cgroup_placer(std::filesystem::path our_dir) : dir_(std::move(our_dir)) {
    if (dir_.empty()) {
        reason_ = "no cgroup v2 file system holds this process";
    } else if (!read_text(dir_ / "cgroup.controllers")) {
        reason_ = "cannot read " + (dir_ / "cgroup.controllers").string();
    } else if (::access(dir_.c_str(), W_OK) != 0 ||
               ::access((dir_ / "cgroup.subtree_control").c_str(), W_OK) != 0) {
        reason_ = dir_.string() + " is not delegated to us (not writable)";
    }
}

void cgroup_placer::warn_once(const std::string& why) {
    if (!warned_) {
        warned_ = true;
        logger_for("cgroup")->warn("no cgroup limits reason=\"{}\": processes run without them",
                                   why);
    }
}

bool cgroup_placer::controllers_delegated(const cgroup_limits& limits, std::string& missing) const {
    const auto have = words(read_text(dir_ / "cgroup.controllers").value_or(""));
    for (const auto& name : needed_controllers(limits)) {
        if (!contains(have, name)) {
            missing += (missing.empty() ? "" : ", ") + name;
        }
    }
    return missing.empty();
}

// cgroup v2 lets a cgroup hand controllers to its children only while no
// process is in it (the root excepted): if we are in ours, we move
// ourselves into a leaf of our own first.
bus::result<void> cgroup_placer::enable_controllers(const cgroup_limits& limits) {
    const auto enabled = words(read_text(dir_ / "cgroup.subtree_control").value_or(""));
    std::string wanted;
    for (const auto& name : needed_controllers(limits)) {
        if (!contains(enabled, name)) {
            wanted += (wanted.empty() ? "+" : " +") + name;
        }
    }
    if (wanted.empty()) {
        return {};
    }
    const auto control = dir_ / "cgroup.subtree_control";
    if (const int failed = write_raw(control, wanted); failed != EBUSY) {
        return failed == 0 ? bus::result<void>{} : write_error(control, wanted, failed);
    }
    const auto leaf = dir_ / "skynet-daemon";
    ::mkdir(leaf.c_str(), 0755);
    if (auto moved = write_text(leaf / "cgroup.procs", std::to_string(::getpid())); !moved) {
        return moved;
    }
    return write_text(control, wanted);
}

bus::result<bool> cgroup_placer::place(pid_t pid, std::string_view id,
                                       const cgroup_limits& limits) {
    check(id, limits);
    if (limits.empty()) {
        return false;
    }
    std::string missing;
    if (!available() || !controllers_delegated(limits, missing)) {
        warn_once(available() ? dir_.string() + " delegates no " + missing + " controller"
                              : reason_);
        return false;
    }
    if (auto enabled = enable_controllers(limits); !enabled) {
        return enabled.err();
    }
    const auto group = dir_ / ("skynet-" + std::string(id));
    if (::mkdir(group.c_str(), 0755) != 0 && errno != EEXIST) {
        return bus::error{bus::errc::unavailable,
                          "cannot make " + group.string() + ": " + std::strerror(errno)};
    }
    for (const auto& [file, text] : limit_writes(limits, pid)) {
        if (auto written = write_text(group / file, text); !written) {
            return written.err();
        }
    }
    return true;
}

bool cgroup_placer::remove(std::string_view id) const {
    if (dir_.empty() || id.empty() || id.find('/') != std::string_view::npos) {
        return false;
    }
    const auto group = dir_ / ("skynet-" + std::string(id));
    return ::rmdir(group.c_str()) == 0;
}

}  // namespace skynet::runtime
