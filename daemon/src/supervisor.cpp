#include "skynet/daemon/supervisor.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <system_error>

#include "managed_process.hpp"
#include "skynet/daemon/state_file.hpp"

namespace skynet::daemon {

supervisor::supervisor(supervisor_options options) : options_(std::move(options)) {
    if (options_.host.empty()) {
        throw std::invalid_argument("supervisor: the host name is required");
    }
    if (!options_.now) {
        options_.now = [] { return clock::now(); };
    }
    if (!options_.jitter) {
        options_.jitter = [engine = std::mt19937_64(std::random_device{}())]() mutable {
            return std::uniform_real_distribution<double>(-1.0, 1.0)(engine);
        };
    }
    if (options_.subreaper) {
        subreaper_.emplace();  // throws std::system_error if the kernel refuses
    }
    adopt_saved();
}

supervisor::~supervisor() = default;  // each managed_process kills its run

// What an earlier supervisor left: adopt what still runs, start what
// should run and does not, keep the stopped ones stopped.
void supervisor::adopt_saved() {
    if (options_.state_dir.empty()) {
        return;
    }
    auto saved = state_file(options_.state_dir).read();
    if (!saved) {
        load_error_ = saved.err();
        return;
    }
    for (const auto& entry : *saved) {
        auto process = std::make_unique<managed_process>(entry.id, entry.spec, options_);
        if (!entry.wanted_running || entry.crash_looping) {
            process->restore(entry);
        } else if (!process->adopt(entry)) {
            process->start();
        }
        processes_.emplace(entry.id, std::move(process));
    }
    save();
}

std::string supervisor::new_id() const {
    static thread_local std::mt19937_64 engine(std::random_device{}());
    for (;;) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%012llx",
                      static_cast<unsigned long long>(engine() & 0xffffffffffffULL));
        auto id = "svc-" + options_.host + "-" + hex;
        if (!processes_.contains(id)) {
            return id;
        }
    }
}

bus::result<std::vector<std::string>> supervisor::deploy(const process_spec& spec) {
    std::vector<std::unique_ptr<managed_process>> started;
    for (int i = 0; i < spec.count; ++i) {
        // A sink factory that throws (a log directory we may not write)
        // fails the deploy too, with its reason.
        try {
            auto process = std::make_unique<managed_process>(new_id(), spec, options_);
            process->launch();
            started.push_back(std::move(process));
        } catch (const std::exception& e) {
            return bus::error{bus::errc::bad_request, e.what()};  // `started` are killed
        }
    }
    std::vector<std::string> ids;
    for (auto& process : started) {
        ids.push_back(process->id());
        processes_.emplace(process->id(), std::move(process));
    }
    save();
    return ids;
}

managed_process* supervisor::find(const std::string& id) const {
    auto it = processes_.find(id);
    return it == processes_.end() ? nullptr : it->second.get();
}

bus::result<process_row> supervisor::command(const std::string& id,
                                             void (managed_process::*what)()) {
    auto* process = find(id);
    if (process == nullptr) {
        return bus::error{bus::errc::bad_request, "no process " + id};
    }
    (process->*what)();
    auto row = process->row();
    forget_undeployed();
    save();
    return row;
}

bus::result<process_row> supervisor::start(const std::string& id) {
    return command(id, &managed_process::start);
}
bus::result<process_row> supervisor::stop(const std::string& id) {
    return command(id, &managed_process::stop);
}
bus::result<process_row> supervisor::restart(const std::string& id) {
    return command(id, &managed_process::restart);
}
bus::result<process_row> supervisor::reset(const std::string& id) {
    return command(id, &managed_process::reset);
}
bus::result<process_row> supervisor::undeploy(const std::string& id) {
    return command(id, &managed_process::undeploy);
}

std::vector<process_row> supervisor::list() const {
    std::vector<process_row> rows;
    for (const auto& [id, process] : processes_) {
        rows.push_back(process->row());
    }
    return rows;
}

std::vector<int> supervisor::poll_fds() const {
    std::vector<int> fds;
    for (const auto& [id, process] : processes_) {
        process->add_fds(fds);
    }
    return fds;
}

void supervisor::on_readable(int fd) {
    for (auto& [id, process] : processes_) {
        if (process->on_readable(fd)) {
            break;
        }
    }
    forget_undeployed();
    save();
}

void supervisor::tick(clock::time_point now) {
    if (subreaper_) {
        // Orphans of its processes, once ended; its own children are left
        // for their pidfds to report, with their exit status.
        subreaper_->reap_untracked([this](pid_t pid) { return tracks(pid); },
                                   [](pid_t, const runtime::exit_status&) {});
    }
    for (auto& [id, process] : processes_) {
        process->tick(now);
    }
    forget_undeployed();
    save();
}

std::optional<supervisor::clock::time_point> supervisor::next_deadline() const {
    std::optional<clock::time_point> earliest;
    for (const auto& [id, process] : processes_) {
        auto next = process->deadline();
        if (next && (!earliest || *next < *earliest)) {
            earliest = next;
        }
    }
    return earliest;
}

std::optional<process_spec> supervisor::spec(const std::string& id) const {
    const auto* process = find(id);
    return process != nullptr ? std::optional<process_spec>(process->spec()) : std::nullopt;
}

void supervisor::shut_down() {
    for (auto& [id, process] : processes_) {
        process->shut_down();
    }
}

bool supervisor::ended() const {
    return std::all_of(processes_.begin(), processes_.end(),
                       [](const auto& entry) { return entry.second->ended(); });
}

void supervisor::detach() {
    for (auto& [id, process] : processes_) {
        process->detach();
    }
    processes_.clear();
}

bool supervisor::tracks(pid_t pid) const {
    return std::any_of(processes_.begin(), processes_.end(),
                       [pid](const auto& entry) { return entry.second->is_child(pid); });
}

void supervisor::forget_undeployed() {
    if (std::erase_if(processes_, [](const auto& entry) { return entry.second->removable(); }) >
        0) {
        removed_since_save_ = true;
    }
}

// Written only when something worth keeping changed: every write is an
// fsync. A failed write is not fatal here: the next change writes again.
void supervisor::save() {
    bool changed = false;
    for (auto& [id, process] : processes_) {
        changed = process->take_changed() || changed;
    }
    if (options_.state_dir.empty() || (!changed && !removed_since_save_)) {
        return;
    }
    removed_since_save_ = false;
    std::vector<saved_process> all;
    for (const auto& [id, process] : processes_) {
        all.push_back(process->saved());
    }
    try {
        state_file(options_.state_dir).write(all);
    } catch (const std::system_error& e) {
        save_error_ = bus::error{bus::errc::unavailable, e.what()};
    }
}

}  // namespace skynet::daemon
