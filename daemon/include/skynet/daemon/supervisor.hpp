#pragma once
// The processes one skyd manages: started with their ids in the
// environment, their output drained into sinks, restarted by policy with
// backoff, stopped by process group (SIGTERM, then SIGKILL after the stop
// timeout), and remembered in the state file so that a later supervisor
// adopts the ones still running instead of starting second copies.
//
// Single-threaded: its owner's loop polls poll_fds(), calls on_readable()
// for each readable one and tick() at least by next_deadline().

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/daemon/output_sink.hpp"
#include "skynet/daemon/process_row.hpp"
#include "skynet/daemon/process_spec.hpp"
#include "skynet/daemon/restart_tracker.hpp"
#include "skynet/runtime/subreaper.hpp"

namespace skynet::daemon {

class managed_process;

struct supervisor_event {
    enum class kind { started, exited, restarting, crash_looping, stopped, adopted };
    kind what = kind::started;
    std::string id;
    std::string detail;  // "pid 123", "exit 3", "in 2000 ms", ...
    pid_t pid = 0;       // exited: the pid that ended
};

std::string_view to_string(supervisor_event::kind what) noexcept;

struct supervisor_options {
    std::string host;       // in ids (svc-<host>-...) and rows; required
    std::string daemon_id;  // SKYNET_MANAGED_BY of every child
    // SKYNET_REDIS, SKYNET_REGION, SKYNET_HOST for children whose spec does
    // not set them; empty: not set (SKYNET_HOST defaults to host).
    std::string redis;
    std::string region;
    // Where processes.json lives; empty: nothing saved, nothing adopted.
    std::filesystem::path state_dir;
    // A sink for each process's output, by id; empty: output is dropped.
    std::function<std::unique_ptr<output_sink>(const std::string& id)> sink_factory;
    // Whether the instance is registered (a good start comes sooner); empty:
    // a start is good once the process has been up for its start timeout.
    std::function<bool(const std::string& id)> registered;
    // Called before SIGTERM on stop, to take the instance out of rotation.
    std::function<void(const std::string& id)> unregister;
    std::function<void(const supervisor_event&)> on_event;
    restart_settings restarts;
    // Become a child subreaper (PR_SET_CHILD_SUBREAPER): what a managed
    // process leaves behind when it exits comes back to this process, and
    // tick() reaps every ended child it does not track. Only for an owner
    // with no other children of its own (skyd).
    bool subreaper = false;
    // The time for timers and the restart tracker (tests advance their own).
    std::function<std::chrono::steady_clock::time_point()> now = [] {
        return std::chrono::steady_clock::now();
    };
    std::function<double()> jitter;  // [-1, 1]; empty: random
};

class supervisor {
public:
    using clock = std::chrono::steady_clock;

    // Reads the state file (if state_dir is set): adopts the processes whose
    // pid still runs with the saved start time, starts the others that should
    // run. A bad state file is set aside and load_error() says why. Throws
    // std::invalid_argument for an empty host.
    explicit supervisor(supervisor_options options);
    // Kills what it still runs (SIGKILL to each group), unless detached.
    ~supervisor();
    supervisor(const supervisor&) = delete;
    supervisor& operator=(const supervisor&) = delete;

    // Starts spec.count copies; their ids. Nothing is started if one cannot
    // be (no such executable, permission denied): bad_request saying why.
    bus::result<std::vector<std::string>> deploy(const process_spec& spec);
    // Commands on one process by id: its row after the command, or
    // bad_request "no process <id>". undeploy stops it and forgets it once
    // stopped; start, restart and reset also end crash-looping.
    bus::result<process_row> start(const std::string& id);
    bus::result<process_row> stop(const std::string& id);
    bus::result<process_row> restart(const std::string& id);
    bus::result<process_row> reset(const std::string& id);
    bus::result<process_row> undeploy(const std::string& id);
    std::vector<process_row> list() const;
    // The spec a process was deployed with; nothing for an unknown id.
    std::optional<process_spec> spec(const std::string& id) const;

    std::vector<int> poll_fds() const;
    void on_readable(int fd);
    void tick(clock::time_point now);
    // The earliest time tick() has something to do; nothing: only fds.
    std::optional<clock::time_point> next_deadline() const;

    // skyd is leaving (SIGTERM): stops every run as stop() would (SIGTERM
    // to the group, SIGKILL at the stop timeout) while the processes stay
    // wanted, so that the next skyd starts them again. Keep the loop going
    // until ended().
    void shut_down();
    // True once no process runs.
    bool ended() const;

    // Lets go of every process without stopping it, as if skyd had been
    // killed: for tests of adoption. The supervisor is empty after it.
    void detach();
    // Whether `pid` is the current run of one of its processes (a child a
    // process-wide reaper must leave to it).
    bool tracks(pid_t pid) const;
    const std::optional<bus::error>& load_error() const noexcept { return load_error_; }
    // The last failure to write the state file (it is written again at the
    // next change), for skyd to log.
    const std::optional<bus::error>& save_error() const noexcept { return save_error_; }

private:
    managed_process* find(const std::string& id) const;
    bus::result<process_row> command(const std::string& id, void (managed_process::*what)());
    std::string new_id() const;
    void adopt_saved();
    void save();
    void forget_undeployed();

    supervisor_options options_;
    std::map<std::string, std::unique_ptr<managed_process>, std::less<>> processes_;
    std::optional<bus::error> load_error_;
    std::optional<bus::error> save_error_;
    std::optional<runtime::subreaper> subreaper_;  // with options.subreaper
    bool removed_since_save_ = false;
};

}  // namespace skynet::daemon
