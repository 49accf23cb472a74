#pragma once
// fork and exec for child_process: everything the child does between the
// two is async-signal-safe, since the parent may have other threads.

#include <sys/types.h>

#include "skynet/runtime/child_process.hpp"

namespace skynet::runtime::spawn_detail {

struct spawned {
    pid_t pid = -1;
    int fds[3] = {-1, -1, -1};  // our ends of its pipes
};

// Starts the child, or throws as child_process's constructor says.
spawned spawn(const spawn_options& options);

}  // namespace skynet::runtime::spawn_detail
