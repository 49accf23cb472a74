#pragma once
// One managed process across its runs: the state machine behind a row of
// `sky processes` (starting, running, backoff, crash-looping, stopping,
// stopped), its current run (our child, or a process adopted from an
// earlier skyd) and the pipes of its output.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/daemon/process_row.hpp"
#include "skynet/daemon/state_file.hpp"
#include "skynet/daemon/supervisor.hpp"
#include "skynet/runtime/child_process.hpp"

namespace skynet::daemon {

class managed_process {
public:
    using clock = std::chrono::steady_clock;

    // `options` outlives this (the supervisor's).
    managed_process(std::string id, process_spec spec, const supervisor_options& options);
    ~managed_process();
    managed_process(const managed_process&) = delete;
    managed_process& operator=(const managed_process&) = delete;

    // Starts a run; throws std::system_error if it cannot (deploy's check).
    void launch();
    // Takes over the run an earlier supervisor saved, if its pid still runs
    // with the saved start time; false if it is gone.
    bool adopt(const saved_process& saved);
    // Restores what was saved without a run (stopped, or gone).
    void restore(const saved_process& saved);

    void start();
    void stop();
    void restart();
    void reset();
    void undeploy();
    // skyd is leaving: the run is stopped as by stop(), but the process
    // stays wanted, so that the next skyd starts it again.
    void shut_down();
    bool ended() const noexcept { return !running_now(); }

    void add_fds(std::vector<int>& fds) const;
    // False if `fd` is not one of its.
    bool on_readable(int fd);
    void tick(clock::time_point now);
    std::optional<clock::time_point> deadline() const;
    void detach();

    const std::string& id() const noexcept { return id_; }
    const process_spec& spec() const noexcept { return spec_; }
    bool is_child(pid_t pid) const noexcept { return child_ && child_->pid() == pid; }
    bool removable() const noexcept { return remove_ && state_ == process_state::stopped; }
    // Set when something worth saving changed; cleared by the reader.
    bool take_changed() noexcept { return std::exchange(changed_, false); }
    process_row row() const;
    saved_process saved() const;

private:
    bool running_now() const noexcept;
    void begin_run();
    void try_launch();
    void run_ended(const std::string& how, bool success);
    void after_end(bool success);
    void stop_run();
    void drain(int& fd);
    void drain_all();
    void write_out(std::string_view bytes) noexcept;
    void close_run();
    pid_t pid() const noexcept;
    void signal_group(int signo) const;
    void set_state(process_state state, std::string reason = {});
    void emit(supervisor_event::kind what, std::string detail, pid_t pid = 0) const;
    runtime::spawn_options spawn_options() const;

    std::string id_;
    process_spec spec_;
    const supervisor_options& options_;
    restart_tracker tracker_;
    std::unique_ptr<output_sink> sink_;
    process_state state_ = process_state::stopped;
    std::string reason_;
    // The current run: our child, or an adopted pid with its pidfd.
    std::optional<runtime::child_process> child_;
    pid_t adopted_pid_ = 0;
    int adopted_pidfd_ = -1;
    std::uint64_t start_time_ = 0;
    int out_fd_ = -1;  // our own read ends of its stdout and stderr
    int err_fd_ = -1;
    clock::time_point start_deadline_{};
    clock::time_point restart_at_{};
    clock::time_point kill_at_{};
    bool killed_ = false;
    bool wanted_running_ = true;
    bool start_after_stop_ = false;
    bool remove_ = false;
    bool changed_ = true;
    int restarts_ = 0;
    std::string last_exit_;
    std::int64_t started_at_ = 0;
};

}  // namespace skynet::daemon
