#pragma once
// A child subreaper (prctl PR_SET_CHILD_SUBREAPER): a process whose
// descendants come back to it when their own parent dies, instead of going
// to init. skyd is one, so that a service's grandchildren stay within its
// reach (to be stopped) and are reaped by it (no zombies).

#include <sys/types.h>

#include <cstddef>
#include <functional>

#include "skynet/runtime/child_process.hpp"

namespace skynet::runtime {

// True if this process is a child subreaper.
bool is_child_subreaper();

// Makes this process a child subreaper while it lives. Not copyable; one at
// a time per process.
class subreaper {
public:
    // Throws std::system_error if the kernel refuses.
    subreaper();
    // Stops being one. Orphans that came to us already stay our children.
    ~subreaper();
    subreaper(const subreaper&) = delete;
    subreaper& operator=(const subreaper&) = delete;

    // Whether a child is someone else's to reap (a child_process's).
    using tracked_fn = std::function<bool(pid_t pid)>;
    // Told of each child reaped here.
    using reaped_fn = std::function<void(pid_t pid, const exit_status& status)>;

    // Reaps every child of this process that has ended and that `tracked`
    // does not claim, calls `reaped` for each, and returns how many. Never
    // waits for one. The tracked ones stay unreaped for their owners, who
    // learn their status. Call it on each turn of the owner's loop (or on
    // SIGCHLD), from the thread that starts the tracked children: a child
    // started on another thread before `tracked` knows it could be reaped
    // here. Exceptions from the callbacks pass through.
    std::size_t reap_untracked(const tracked_fn& tracked, const reaped_fn& reaped);
};

}  // namespace skynet::runtime
