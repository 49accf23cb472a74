#pragma once
// Item 8 of docs/skyd.md's "Out of rotation under pressure": every figures
// interval, each running process's CPU and memory and the host's load are
// held against its spec's pressure limits. Past them for a while, the
// instance is taken out of rotation (unregistered, with the reason in its
// row and as an event); below them for a while, it is put back; past its
// restart memory limit, it is restarted.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "instance_steering.hpp"
#include "skynet/daemon/host_figures.hpp"
#include "skynet/daemon/pressure.hpp"
#include "skynet/daemon/process_figures.hpp"
#include "skynet/daemon/supervisor.hpp"

namespace skynet::daemon {

class pressure_watch {
public:
    using time_point = std::chrono::steady_clock::time_point;
    // (id, what, detail) of an event: "out-of-rotation", "in-rotation", "restarting".
    using note_fn = std::function<void(const std::string&, std::string, std::string)>;

    // One pass over the supervisor's running processes (under its owner's lock).
    void check(supervisor& processes, const host_figures& host, time_point now,
               instance_steering& steering, const note_fn& note);
    // Why a process is out of rotation; empty when it is not.
    std::string reason(const std::string& id) const;

private:
    struct watched {
        pid_t pid = 0;
        process_figures_reader figures;
        pressure limits;
    };
    void act(supervisor& processes, const std::string& id, watched& w,
             const pressure_decision& decision, instance_steering& steering, const note_fn& note);

    std::map<std::string, watched, std::less<>> watched_;
};

}  // namespace skynet::daemon
