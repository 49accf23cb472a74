#pragma once
// skyd's daemon: one per host. It registers itself (kind daemon) with the
// host's figures, supervises the managed processes (daemon/supervisor.hpp),
// writes their output to rotated log files, and answers the commands `sky`
// sends it through the registry's command channel (daemon_commands.hpp).
//
// Threads: run() is the loop (the supervisor's fds, timers, figures); the
// registrar's command thread answers commands; the listener's thread keeps
// the set of registered instances. The supervisor and the log files are
// shared between the loop and the command thread under one mutex.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "daemon_metrics.hpp"
#include "event_publisher.hpp"
#include "instance_steering.hpp"
#include "pressure_watch.hpp"
#include "skynet/daemon/host_figures.hpp"
#include "skynet/daemon/log_file.hpp"
#include "skynet/daemon/supervisor.hpp"
#include "skynet/registry/instance_listener.hpp"
#include "skynet/registry/registrar.hpp"
#include "skynet/runtime/event_fd.hpp"

namespace skynet::daemon {

struct skyd_settings {
    std::string redis_url;
    registry::options redis;
    std::string region;
    std::string host;
    std::string id;  // its instance id: stable per host, so that adopted processes still find it
    std::filesystem::path state_dir;
    std::filesystem::path log_dir;
    std::optional<std::filesystem::path> deploy_file;
    std::uint64_t log_max_bytes = 10 * 1024 * 1024;
    int log_files = 10;
    std::chrono::milliseconds figures_interval{5000};
    std::chrono::milliseconds lease{10000};
    // On SIGTERM: stop the managed processes (true), or leave them running
    // for the next skyd to adopt (an upgrade of skyd itself).
    bool stop_on_exit = true;
    restart_settings restarts;
    std::string metrics_listen;  // host:port of GET /metrics; empty: none
};

// What happened to a managed process, as `processes` lists the last ones.
struct daemon_event {
    std::int64_t at = 0;  // ms since the epoch
    std::string id;
    std::string what;  // a supervisor_event's kind, "out-of-rotation", "in-rotation"
    std::string detail;
};

class host_daemon {
public:
    // Creates the directories, reads the state file (adopting what still
    // runs), registers, starts taking commands, then applies the deploy
    // file. Throws std::invalid_argument or std::system_error naming what
    // it could not use.
    explicit host_daemon(skyd_settings settings);
    ~host_daemon();
    host_daemon(const host_daemon&) = delete;
    host_daemon& operator=(const host_daemon&) = delete;

    // The loop, until stop(). Never throws out: a failure is logged.
    void run();
    // Any thread, more than once.
    void stop();

    // The command thread: one command's JSON answer (throws to answer an error).
    std::string answer(const std::string& name, const std::string& argument);

private:
    supervisor_options supervisor_settings();
    void apply_deploy_file();
    void loop_turn(std::vector<int>& fds);
    void begin_shutdown();
    bool processes_ended();
    void publish_figures();
    void on_event(const supervisor_event& event);
    void note(const std::string& id, std::string what, std::string detail);
    void place_in_cgroup(const process_row& row);
    void on_instance(const registry::instance& record, bool present);
    bool registered(const std::string& id) const;
    std::unique_ptr<output_sink> sink_for(const std::string& id);

    skyd_settings settings_;
    runtime::event_fd wake_{"skyd"};
    std::atomic<bool> stopping_{false};

    mutable std::mutex registered_mutex_;
    std::set<std::string, std::less<>> registered_;  // guarded by registered_mutex_

    // Before the supervisor: its events are published from its constructor on.
    std::unique_ptr<event_publisher> publisher_;
    std::mutex mutex_;  // guards what follows, shared with the command thread
    std::unique_ptr<supervisor> supervisor_;
    std::deque<daemon_event> events_;
    pressure_watch pressure_;
    runtime::cgroup_placer cgroups_ = runtime::cgroup_placer::for_this_process();
    std::map<std::string, pid_t, std::less<>> placed_;  // the run of each id put in its cgroup
    // Each process's log, also held by its sink: for the dropped count.
    std::map<std::string, std::shared_ptr<log_file>, std::less<>> logs_;

    host_figures_reader figures_;
    std::chrono::steady_clock::time_point next_figures_{};
    std::unique_ptr<registry::registrar> registrar_;
    std::unique_ptr<instance_steering> steering_;
    std::unique_ptr<registry::instance_listener> listener_;
    std::optional<host_figures> last_figures_;  // guarded by mutex_, for /metrics
    std::unique_ptr<daemon_metrics> metrics_;   // last: its scrapes read the above
};

}  // namespace skynet::daemon
