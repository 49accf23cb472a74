#pragma once
// cgroup v2 limits for a child (memory.max, cpu.max, pids.max), where the
// machine delegates a writable cgroup v2 subtree to us (systemd's
// Delegate=yes): each limited child goes into <our cgroup>/skynet-<id>.
// Elsewhere (no cgroup v2, controllers bound to cgroup v1, a read-only
// mount) the children run without these limits, and that is said once.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "skynet/bus/result.hpp"

namespace skynet::runtime {

// Limits for one child; an unset one is not limited.
struct cgroup_limits {
    std::optional<std::uint64_t> memory_max;  // bytes of memory (memory.max)
    std::optional<double> cpus;               // CPUs' worth of time: 0.5 = half of one (cpu.max)
    std::optional<std::uint64_t> pids_max;    // processes and threads (pids.max)

    bool empty() const noexcept { return !memory_max && !cpus && !pids_max; }
    bool operator==(const cgroup_limits&) const = default;
};

// The cgroup v2 directory a process is in, from the text of its
// /proc/<pid>/mountinfo and /proc/<pid>/cgroup; nothing if no cgroup2 file
// system is mounted or the process is in none.
std::optional<std::filesystem::path> find_cgroup2_dir(std::string_view mountinfo,
                                                      std::string_view proc_cgroup);

// Puts children into cgroups of their own under ours. Single-threaded: one
// thread (skyd's loop) uses it.
class cgroup_placer {
public:
    // Over this process's own cgroup v2 directory, if there is one.
    static cgroup_placer for_this_process();
    // Over `our_dir`, a cgroup v2 directory (tests pass a stand-in: a plain
    // directory laid out like one). Empty: no cgroup v2.
    explicit cgroup_placer(std::filesystem::path our_dir);

    // Whether limits can be set here at all, and if not, why.
    bool available() const noexcept { return reason_.empty(); }
    const std::string& unavailable_reason() const noexcept { return reason_; }
    const std::filesystem::path& dir() const noexcept { return dir_; }

    // Moves `pid` into <ours>/skynet-<id> (made if missing) with `limits`.
    // True if it is there; false if there is nothing to limit, or no
    // delegated controller for them (logged as a warning once for this
    // placer: skyd has one): the child runs without them. An error
    // (errc::unavailable, naming the file) if a write to a delegated
    // subtree failed. Throws std::invalid_argument for limits that make no
    // sense (cpus not above 0) or an id that is no file name.
    bus::result<bool> place(pid_t pid, std::string_view id, const cgroup_limits& limits);

    // Removes <ours>/skynet-<id> once its processes are gone; false if it
    // could not (still in use, or none).
    bool remove(std::string_view id) const;

private:
    bool controllers_delegated(const cgroup_limits& limits, std::string& missing) const;
    bus::result<void> enable_controllers(const cgroup_limits& limits);
    void warn_once(const std::string& why);

    std::filesystem::path dir_;
    std::string reason_;  // empty when available
    bool warned_ = false;
};

}  // namespace skynet::runtime
