// managed_process: the commands, the timers, and what it shows and saves.
#include <signal.h>

#include "close_fd.hpp"
#include "managed_process.hpp"

namespace skynet::daemon {

void managed_process::start() {
    wanted_running_ = true;
    remove_ = false;
    switch (state_) {
        case process_state::stopping:
            start_after_stop_ = true;
            break;
        case process_state::crash_looping:
        case process_state::stopped:
        case process_state::backoff:
            tracker_.reset();
            try_launch();
            break;
        default:
            break;
    }
}

void managed_process::stop() {
    wanted_running_ = false;
    start_after_stop_ = false;
    if (running_now()) {
        if (state_ != process_state::stopping) {
            stop_run();
        }
        return;
    }
    if (state_ != process_state::stopped) {
        set_state(process_state::stopped);
        emit(supervisor_event::kind::stopped, "by command");
    }
}

// Out of rotation first, then SIGTERM to the group; tick() sends SIGKILL at
// the stop timeout.
void managed_process::stop_run() {
    if (options_.unregister) {
        options_.unregister(id_);
    }
    signal_group(SIGTERM);
    kill_at_ = options_.now() + spec_.stop_timeout;
    set_state(process_state::stopping, "stop requested");
}

void managed_process::restart() {
    tracker_.reset();
    restarts_ = 0;
    if (running_now()) {
        stop();
        wanted_running_ = true;
        start_after_stop_ = true;
        return;
    }
    start();
}

void managed_process::reset() {
    tracker_.reset();
    restarts_ = 0;
    if (state_ == process_state::crash_looping) {
        try_launch();
    }
    changed_ = true;
}

void managed_process::shut_down() {
    start_after_stop_ = false;
    if (running_now() && state_ != process_state::stopping) {
        stop_run();
    }
}

void managed_process::undeploy() {
    remove_ = true;
    stop();
}

void managed_process::tick(clock::time_point now) {
    switch (state_) {
        case process_state::starting:
            if (options_.registered && options_.registered(id_)) {
                set_state(process_state::running);
            } else if (now >= start_deadline_) {
                set_state(process_state::running,
                          options_.registered ? "not registered within the start timeout" : "");
            }
            break;
        case process_state::backoff:
            if (now >= restart_at_) {
                ++restarts_;
                try_launch();
            }
            break;
        case process_state::stopping:
            if (now >= kill_at_ && !killed_) {
                killed_ = true;
                signal_group(SIGKILL);
            }
            break;
        default:
            break;
    }
}

std::optional<managed_process::clock::time_point> managed_process::deadline() const {
    switch (state_) {
        case process_state::starting:
            return start_deadline_;
        case process_state::backoff:
            return restart_at_;
        case process_state::stopping:
            return killed_ ? std::nullopt : std::optional<clock::time_point>(kill_at_);
        default:
            return std::nullopt;
    }
}

// As if skyd had died: the run goes on, our fds close. A child_process
// would kill its group in its destructor, so it forgets the child first.
void managed_process::detach() {
    if (child_) {
        child_->detach();
        child_.reset();
    }
    detail::close_fd(out_fd_);
    detail::close_fd(err_fd_);
    detail::close_fd(adopted_pidfd_);
    set_state(process_state::stopped);
}

void managed_process::set_state(process_state state, std::string reason) {
    state_ = state;
    reason_ = std::move(reason);
    changed_ = true;
}

void managed_process::emit(supervisor_event::kind what, std::string detail, pid_t pid) const {
    if (options_.on_event) {
        options_.on_event(supervisor_event{what, id_, std::move(detail), pid});
    }
}

process_row managed_process::row() const {
    process_row out;
    out.id = id_;
    out.service = spec_.display_name();
    out.host = options_.host;
    out.state = state_;
    out.pid = pid();
    out.restarts = restarts_;
    out.last_exit = last_exit_;
    out.argv = spec_.argv;
    out.started_at = started_at_;
    out.reason = reason_;
    return out;
}

saved_process managed_process::saved() const {
    saved_process out;
    out.id = id_;
    out.spec = spec_;
    out.wanted_running = wanted_running_ && !remove_;
    out.crash_looping = state_ == process_state::crash_looping;
    out.pid = pid();
    out.start_time = out.pid > 0 ? start_time_ : 0;
    out.restarts = restarts_;
    out.last_exit = last_exit_;
    out.started_at = started_at_;
    return out;
}

}  // namespace skynet::daemon
