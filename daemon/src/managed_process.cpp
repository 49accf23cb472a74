#include "managed_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <utility>

#include "close_fd.hpp"
#include "skynet/daemon/process_figures.hpp"

namespace skynet::daemon {

namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Our own non-blocking copy of a pipe end: the child_process keeps its own,
// and we close ours at the end of the run whatever still holds the pipe.
int own_copy(int fd) {
    if (fd < 0) {
        return -1;
    }
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy >= 0) {
        ::fcntl(copy, F_SETFL, ::fcntl(copy, F_GETFL) | O_NONBLOCK);
    }
    return copy;
}

// A reader of the pipe an adopted process writes to: opening its
// /proc/<pid>/fd/<n> gives a new reader of the same pipe.
int open_output(pid_t pid, int n) {
    const auto path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(n);
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat info {};
    if (fd >= 0 && (::fstat(fd, &info) != 0 || !S_ISFIFO(info.st_mode))) {
        ::close(fd);  // not a pipe of ours (a file, a terminal): leave it
        return -1;
    }
    return fd;
}

// A pidfd is readable once its process has ended.
bool has_ended(int pidfd) {
    pollfd ready{pidfd, POLLIN, 0};
    return ::poll(&ready, 1, 0) == 1;
}

bool has_name(const std::vector<std::string>& env, const std::string& name) {
    for (const auto& entry : env) {
        if (entry.compare(0, name.size() + 1, name + "=") == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

managed_process::managed_process(std::string id, process_spec spec,
                                 const supervisor_options& options)
    : id_(std::move(id)),
      spec_(std::move(spec)),
      options_(options),
      tracker_(options.restarts, options.now, options.jitter) {
    if (options_.sink_factory) {
        sink_ = options_.sink_factory(id_);
    }
}

managed_process::~managed_process() {
    if (adopted_pidfd_ >= 0) {
        signal_group(SIGKILL);
        // Reaps it if it is our child after all (one process playing two
        // skyds in a test); ECHILD at once otherwise.
        siginfo_t info{};
        ::waitid(P_PIDFD, static_cast<id_t>(adopted_pidfd_), &info, WEXITED);
    }
    close_run();  // a child_process kills its group in its destructor
}

runtime::spawn_options managed_process::spawn_options() const {
    runtime::spawn_options out;
    out.argv = spec_.argv;
    const std::array<std::pair<std::string, std::string>, 3> defaults{
        {{"SKYNET_REDIS", options_.redis},
         {"SKYNET_REGION", options_.region},
         {"SKYNET_HOST", options_.host}}};
    for (const auto& [name, value] : defaults) {
        if (!value.empty() && !has_name(spec_.env, name)) {
            out.env.push_back(name + "=" + value);
        }
    }
    out.env.insert(out.env.end(), spec_.env.begin(), spec_.env.end());
    out.env.push_back("SKYNET_INSTANCE_ID=" + id_);
    out.env.push_back("SKYNET_MANAGED_BY=" + options_.daemon_id);
    // systemd's words for skyd alone: a service's READY=1 or STOPPING=1
    // there would be taken (or refused, noisily) as skyd's.
    out.unset_env = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"};
    out.working_dir = spec_.cwd;
    out.in = runtime::child_stream::null();
    out.out = runtime::child_stream::pipe();
    out.err = runtime::child_stream::pipe();
    const std::array<std::pair<int, std::optional<std::uint64_t>>, 3> limits{
        {{RLIMIT_NOFILE, spec_.limits.nofile},
         {RLIMIT_CORE, spec_.limits.core},
         {RLIMIT_AS, spec_.limits.address_space}}};
    for (const auto& [resource, value] : limits) {
        if (value) {
            const auto v = static_cast<rlim_t>(*value);
            out.limits.push_back({resource, rlimit{v, v}});
        }
    }
    return out;
}

void managed_process::launch() {
    close_run();
    child_.emplace(spawn_options());
    out_fd_ = own_copy(child_->stdout_fd());
    err_fd_ = own_copy(child_->stderr_fd());
    start_time_ = process_start_time(child_->pid()).value_or(0);
    begin_run();
    emit(supervisor_event::kind::started, "pid " + std::to_string(child_->pid()));
}

void managed_process::begin_run() {
    wanted_running_ = true;
    killed_ = false;
    started_at_ = wall_ms();
    start_deadline_ = options_.now() + spec_.start_timeout;
    tracker_.started();
    set_state(process_state::starting);
}

// A start of a restart or a command: a failure to start (the program was
// removed since) counts as a failed run, not as an exception.
void managed_process::try_launch() {
    try {
        launch();
    } catch (const std::system_error& e) {
        close_run();
        tracker_.started();
        run_ended(std::string("not started: ") + e.what(), false);
    }
}

bool managed_process::adopt(const saved_process& saved) {
    restore(saved);
    const auto now_start = process_start_time(saved.pid);
    if (saved.pid <= 0 || !now_start || *now_start != saved.start_time) {
        return false;
    }
    adopted_pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, saved.pid, 0));
    if (adopted_pidfd_ < 0) {
        return false;
    }
    adopted_pid_ = saved.pid;
    start_time_ = saved.start_time;
    out_fd_ = open_output(saved.pid, 1);
    err_fd_ = open_output(saved.pid, 2);
    started_at_ = saved.started_at;
    tracker_.started();
    set_state(process_state::running);
    emit(supervisor_event::kind::adopted, "pid " + std::to_string(saved.pid));
    return true;
}

void managed_process::restore(const saved_process& saved) {
    wanted_running_ = saved.wanted_running;
    restarts_ = saved.restarts;
    last_exit_ = saved.last_exit;
    started_at_ = saved.started_at;
    if (saved.crash_looping) {
        set_state(process_state::crash_looping,
                  "crash-looping before skyd restarted; last: " + last_exit_);
    } else {
        set_state(process_state::stopped);
    }
}

pid_t managed_process::pid() const noexcept {
    if (child_) {
        return child_->pid();
    }
    return adopted_pidfd_ >= 0 ? adopted_pid_ : 0;
}

bool managed_process::running_now() const noexcept {
    return child_ || adopted_pidfd_ >= 0;
}

// Its process group is its pid (each run gets a group of its own). Only
// sent while the leader is unreaped (a child not yet waited for, or an
// adopted process whose pidfd is not yet readable), so the group is its.
void managed_process::signal_group(int signo) const {
    const pid_t leader = pid();
    // An adopted process is not our child: once it has ended its parent may
    // reap it at any time, and its pid (and group) could name another.
    if (adopted_pidfd_ >= 0 && has_ended(adopted_pidfd_)) {
        return;
    }
    if (leader > 0) {
        ::kill(-leader, signo);
    }
}

void managed_process::add_fds(std::vector<int>& fds) const {
    for (int fd : {out_fd_, err_fd_}) {
        if (fd >= 0) {
            fds.push_back(fd);
        }
    }
    if (child_ && child_->exit_fd() >= 0) {
        fds.push_back(child_->exit_fd());
    } else if (adopted_pidfd_ >= 0) {
        fds.push_back(adopted_pidfd_);
    }
}

bool managed_process::on_readable(int fd) {
    if (fd < 0) {
        return false;
    }
    if (fd == out_fd_ || fd == err_fd_) {
        drain(fd == out_fd_ ? out_fd_ : err_fd_);
        return true;
    }
    // A readiness the owner polled before this run began (a new pidfd may
    // reuse the number of the last one) is no end.
    if (((child_ && fd == child_->exit_fd()) || fd == adopted_pidfd_) && !has_ended(fd)) {
        return true;
    }
    if (child_ && fd == child_->exit_fd()) {
        signal_group(SIGKILL);  // what it left behind in its group
        child_->running();      // reaps it
        const auto status = child_->status().value_or(runtime::exit_status{-1, 0});
        run_ended(status.to_string(), status.success());
        return true;
    }
    if (fd == adopted_pidfd_ && adopted_pidfd_ >= 0) {
        siginfo_t info{};
        // Still our child only in tests (one process plays both skyds);
        // otherwise its parent reaped it and how it ended is unknown.
        const bool known =
            ::waitid(P_PIDFD, static_cast<id_t>(adopted_pidfd_), &info, WEXITED | WNOHANG) == 0 &&
            info.si_pid != 0;
        const runtime::exit_status status{known && info.si_code == CLD_EXITED ? info.si_status : 0,
                                          known && info.si_code != CLD_EXITED ? info.si_status : 0};
        run_ended(known ? status.to_string() : "ended", known && status.success());
        return true;
    }
    return false;
}

// Everything the pipe holds now. At end-of-file (every writer gone) the
// fd is closed, so that a poll does not keep reporting it.
void managed_process::drain(int& fd) {
    std::array<char, 65536> buffer{};
    while (fd >= 0) {
        const auto n = ::read(fd, buffer.data(), buffer.size());
        if (n > 0) {
            write_out(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            detail::close_fd(fd);
        } else if (errno == EAGAIN) {
            return;
        }
    }
}

// A sink that throws loses those bytes, not the loop: output is never
// worth a crash of skyd.
void managed_process::write_out(std::string_view bytes) noexcept {
    if (!sink_) {
        return;
    }
    try {
        sink_->write(bytes);
    } catch (...) {
        return;
    }
}

void managed_process::drain_all() {
    drain(out_fd_);
    drain(err_fd_);
}

void managed_process::close_run() {
    drain_all();
    detail::close_fd(out_fd_);
    detail::close_fd(err_fd_);
    child_.reset();
    detail::close_fd(adopted_pidfd_);
    adopted_pid_ = 0;
    start_time_ = 0;
}

void managed_process::run_ended(const std::string& how, bool success) {
    last_exit_ = how;
    const auto ended = pid();
    close_run();
    emit(supervisor_event::kind::exited, how, ended);
    if (state_ == process_state::stopping || !wanted_running_) {
        set_state(process_state::stopped);
        emit(supervisor_event::kind::stopped, how);
        if (std::exchange(start_after_stop_, false) && !remove_) {
            try_launch();
        }
        return;
    }
    after_end(success);
}

// The restart policy: back off and start again, or give up.
void managed_process::after_end(bool success) {
    if (spec_.restart == restart_policy::never ||
        (spec_.restart == restart_policy::on_failure && success)) {
        set_state(process_state::stopped);
        emit(supervisor_event::kind::stopped,
             "restart policy " + std::string(to_string(spec_.restart)));
        return;
    }
    const auto delay = tracker_.ended();
    if (!delay) {
        set_state(process_state::crash_looping, "more than " +
                                                    std::to_string(options_.restarts.crash_limit) +
                                                    " failed starts; last: " + last_exit_);
        emit(supervisor_event::kind::crash_looping, last_exit_);
        return;
    }
    restart_at_ = options_.now() + *delay;
    set_state(process_state::backoff,
              "restart in " + std::to_string(delay->count()) + " ms after " + last_exit_);
    emit(supervisor_event::kind::restarting, "in " + std::to_string(delay->count()) + " ms");
}

}  // namespace skynet::daemon
