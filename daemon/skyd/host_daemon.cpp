// skyd's daemon (host_daemon.hpp): the loop, registration and events. The
// commands' JSON is in daemon_commands.cpp.
#include "host_daemon.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "daemon_commands.hpp"
#include "skynet/daemon/deploy_file.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/systemd_notify.hpp"

namespace skynet::daemon {

namespace {

constexpr std::size_t events_kept = 100;

std::shared_ptr<spdlog::logger> log() {
    static auto logger = runtime::logger_for("skyd");
    return logger;
}

void make_directory(const std::filesystem::path& dir, const char* option) {
    std::error_code failed;
    std::filesystem::create_directories(dir, failed);
    if (failed) {
        throw std::system_error(failed, std::string(option) + " " + dir.string());
    }
}

registry::instance daemon_record(const skyd_settings& s) {
    registry::instance record;
    record.id = s.id;
    record.kind = registry::instance_kind::daemon;
    record.service = "skyd";
    record.region = s.region;
    record.host = s.host;
    record.pid = ::getpid();
    return record;
}

registry::host_figures_record to_record(const host_figures& figures) {
    const auto hundredths = [](double v) { return static_cast<std::uint64_t>(v * 100 + 0.5); };
    registry::host_figures_record out;
    out.cpu_percent = static_cast<std::uint64_t>(figures.cpu_percent + 0.5);
    out.cpus = figures.sample.cpus;
    out.memory_total = figures.sample.memory_total;
    out.memory_available = figures.sample.memory_available;
    out.load1 = hundredths(figures.sample.load1);
    out.load5 = hundredths(figures.sample.load5);
    out.load15 = hundredths(figures.sample.load15);
    out.uptime_s = static_cast<std::uint64_t>(figures.sample.uptime_s);
    return out;
}

// The supervisor's sink for one process: its log file, which the daemon
// also holds to report what it dropped.
class shared_log_sink final : public output_sink {
public:
    explicit shared_log_sink(std::shared_ptr<log_file> file) : file_(std::move(file)) {}
    void write(std::string_view bytes) override { file_->write(bytes); }

private:
    std::shared_ptr<log_file> file_;
};

}  // namespace

host_daemon::host_daemon(skyd_settings settings) : settings_(std::move(settings)) {
    if (settings_.host.empty() || settings_.id.empty()) {
        throw std::invalid_argument("host: must not be empty");
    }
    make_directory(settings_.state_dir, "--state-dir");
    make_directory(settings_.log_dir, "--log-dir");
    // Who is registered on this host, before the supervisor asks: a start is
    // good once its instance is (a worker's, or a broker's: both register
    // under the id we give them).
    listener_ = std::make_unique<registry::instance_listener>(
        settings_.redis, registry::query{.host = settings_.host},
        registry::listener_callbacks{
            .added = [this](const registry::instance& r) { on_instance(r, true); },
            .updated = [this](const registry::instance& r) { on_instance(r, true); },
            .removed = [this](const registry::instance& r) { on_instance(r, false); }});
    steering_ = std::make_unique<instance_steering>(settings_.redis);
    publisher_ = std::make_unique<event_publisher>(settings_.redis, settings_.id, settings_.host,
                                                   settings_.region);
    supervisor_ = std::make_unique<supervisor>(supervisor_settings());
    if (const auto& problem = supervisor_->load_error()) {
        log()->error("state file: {} (set aside; starting with no managed process)",
                     problem->detail);
    }
    registry::registrar_settings lease;
    lease.lease = settings_.lease;
    // Registered with its host's figures from the start: no record without them.
    auto record = daemon_record(settings_);
    if (auto figures = figures_.read()) {
        record.host_figures = to_record(*figures);
    }
    registrar_ = std::make_unique<registry::registrar>(settings_.redis, std::move(record), lease);
    next_figures_ = std::chrono::steady_clock::now() + settings_.figures_interval;
    registry::command_handlers handlers;
    for (const auto& name : daemon_command_names()) {
        handlers.named.emplace(std::string(name), [this, name](const std::string& argument) {
            return answer(std::string(name), argument);
        });
    }
    registrar_->handle_commands(std::move(handlers));
    apply_deploy_file();
    if (!settings_.metrics_listen.empty()) {
        metrics_ = std::make_unique<daemon_metrics>(settings_.metrics_listen, [this] {
            std::lock_guard lock(mutex_);
            return daemon_view{supervisor_ ? supervisor_->list() : std::vector<process_row>{},
                               last_figures_};
        });
        log()->info("metrics on http://{}/metrics", metrics_->address());
    }
}

host_daemon::~host_daemon() {
    metrics_.reset();    // no scrape from here on
    registrar_.reset();  // no more commands: they would reach the supervisor
    std::lock_guard lock(mutex_);
    if (!settings_.stop_on_exit) {
        supervisor_->detach();  // the next skyd adopts them
    }
    supervisor_.reset();  // otherwise: every group ended (SIGKILL), reaped
    listener_.reset();
}

supervisor_options host_daemon::supervisor_settings() {
    supervisor_options o;
    o.host = settings_.host;
    o.daemon_id = settings_.id;
    o.redis = settings_.redis_url;
    o.region = settings_.region;
    o.state_dir = settings_.state_dir;
    o.sink_factory = [this](const std::string& id) { return sink_for(id); };
    o.registered = [this](const std::string& id) { return registered(id); };
    o.on_event = [this](const supervisor_event& e) { on_event(e); };
    // Out of rotation before SIGTERM: a stop loses no call even of a
    // service that does not drain by itself.
    o.unregister = [this](const std::string& id) {
        steering_->tell(id, registry::command::unregister);
    };
    o.restarts = settings_.restarts;
    o.subreaper = true;
    return o;
}

std::unique_ptr<output_sink> host_daemon::sink_for(const std::string& id) {
    log_file_options o;
    o.dir = settings_.log_dir;
    o.id = id;
    o.max_bytes = settings_.log_max_bytes;
    o.max_files = settings_.log_files;
    auto file = std::make_shared<log_file>(std::move(o));
    logs_.insert_or_assign(id, file);
    return std::make_unique<shared_log_sink>(std::move(file));
}

// The deploy file says what this host runs: each entry is topped up to its
// count of processes with the same command, so that reading it again after
// a restart of skyd (which adopted them) starts nothing twice.
void host_daemon::apply_deploy_file() {
    if (!settings_.deploy_file) {
        return;
    }
    auto specs = read_deploy_file(*settings_.deploy_file);
    if (!specs) {
        log()->error("deploy file: {}", specs.err().detail);
        return;
    }
    std::lock_guard lock(mutex_);
    const auto rows = supervisor_->list();
    for (auto spec : *specs) {
        const auto running = std::count_if(
            rows.begin(), rows.end(), [&](const process_row& r) { return r.argv == spec.argv; });
        if (running >= spec.count) {
            continue;
        }
        spec.count -= static_cast<int>(running);
        auto ids = supervisor_->deploy(spec);
        if (!ids) {
            log()->error("deploy file: {}: {}", spec.display_name(), ids.err().detail);
        }
    }
    wake_.signal();
}

void host_daemon::run() {
    runtime::notify_ready();
    const auto watchdog = runtime::watchdog_interval();
    auto next_ping = std::chrono::steady_clock::now();
    std::vector<int> fds;
    bool shutting_down = false;
    while (!shutting_down || !processes_ended()) {
        if (!shutting_down && stopping_.load()) {
            shutting_down = true;
            runtime::notify_stopping();
            begin_shutdown();
        }
        try {
            loop_turn(fds);
        } catch (const std::exception& e) {
            log()->error("loop: {}", e.what());
        }
        const auto now = std::chrono::steady_clock::now();
        if (watchdog && now >= next_ping) {
            runtime::notify_watchdog();
            next_ping = now + *watchdog / 2;
        }
        if (now >= next_figures_) {
            publish_figures();
        }
    }
}

// On SIGTERM: the processes are stopped as `sky stop` would (they drain),
// but stay wanted, so that the next skyd starts them; or, with --on-exit
// leave, left running for it to adopt.
void host_daemon::begin_shutdown() {
    registrar_->handle_commands({});  // nothing new starts now
    std::lock_guard lock(mutex_);
    if (settings_.stop_on_exit) {
        supervisor_->shut_down();
    }
}

bool host_daemon::processes_ended() {
    if (!settings_.stop_on_exit) {
        return true;
    }
    std::lock_guard lock(mutex_);
    return supervisor_->ended();
}

void host_daemon::stop() {
    stopping_.store(true);
    wake_.signal();
}

// One poll over the supervisor's fds, then what became readable and the
// timers. Waits at most until the next figures (or 1 s).
void host_daemon::loop_turn(std::vector<int>& fds) {
    auto now = std::chrono::steady_clock::now();
    auto until = std::min(next_figures_, now + std::chrono::seconds(1));
    {
        std::lock_guard lock(mutex_);
        fds = supervisor_->poll_fds();
        if (auto due = supervisor_->next_deadline()) {
            until = std::min(until, *due);
        }
    }
    std::vector<pollfd> items;
    items.push_back({wake_.fd(), POLLIN, 0});
    for (int fd : fds) {
        items.push_back({fd, POLLIN, 0});
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now);
    const int timeout = static_cast<int>(std::max<std::int64_t>(0, wait.count()));
    if (::poll(items.data(), items.size(), timeout) < 0 && errno != EINTR) {
        throw std::system_error(errno, std::generic_category(), "poll");
    }
    wake_.drain();
    std::lock_guard lock(mutex_);
    for (std::size_t i = 1; i < items.size(); ++i) {
        if (items[i].revents != 0) {
            supervisor_->on_readable(items[i].fd);
        }
    }
    supervisor_->tick(std::chrono::steady_clock::now());
    if (const auto& problem = supervisor_->save_error()) {
        log()->warn("state file: {}", problem->detail);
    }
}

void host_daemon::publish_figures() {
    next_figures_ = std::chrono::steady_clock::now() + settings_.figures_interval;
    auto figures = figures_.read();
    if (!figures) {
        log()->warn("host figures: {}", figures.err().detail);
        return;
    }
    if (registrar_) {
        registrar_->update([&](registry::instance& r) { r.host_figures = to_record(*figures); });
    }
    std::lock_guard lock(mutex_);
    last_figures_ = *figures;
    if (!supervisor_) {
        return;
    }
    pressure_.check(*supervisor_, *figures, std::chrono::steady_clock::now(), *steering_,
                    [this](const std::string& id, std::string what, std::string detail) {
                        note(id, std::move(what), std::move(detail));
                    });
    for (const auto& row : supervisor_->list()) {
        if (row.state == process_state::running) {
            place_in_cgroup(row);  // those adopted or started before we could
        }
    }
}

void host_daemon::on_event(const supervisor_event& event) {
    // Called by the supervisor, under mutex_ (or in its constructor).
    note(event.id, std::string(to_string(event.what)), event.detail);
    if (event.what == supervisor_event::kind::exited && registrar_) {
        // Out of the registry now, not at the end of its lease: its callers
        // and `sky` see it gone, and its next start is seen registering. Only
        // if the record is still this run's: under load the removal may land
        // after the next run registered under the same id.
        registrar_->remove_other(event.id, event.pid);
        std::lock_guard lock(registered_mutex_);
        registered_.erase(event.id);
    }
    if (event.what == supervisor_event::kind::started && supervisor_) {
        for (const auto& row : supervisor_->list()) {
            if (row.id == event.id) {
                place_in_cgroup(row);
            }
        }
    }
}

void host_daemon::note(const std::string& id, std::string what, std::string detail) {
    log()->info("{} {} {}", id, what, detail);
    const auto at = registry::wall_clock_ms();
    if (publisher_) {
        const auto spec = supervisor_ ? supervisor_->spec(id) : std::nullopt;
        publisher_->post({at, id, spec ? spec->display_name() : std::string(), what, detail});
    }
    events_.push_back({at, id, std::move(what), std::move(detail)});
    if (events_.size() > events_kept) {
        events_.pop_front();
    }
}

// cgroup v2 limits where the machine delegates a cgroup to us; otherwise
// the placer warns once and the process runs without them.
void host_daemon::place_in_cgroup(const process_row& row) {
    if (row.pid <= 0 || placed_[row.id] == row.pid) {
        return;
    }
    placed_[row.id] = row.pid;
    const auto spec = supervisor_->spec(row.id);
    if (!spec || spec->cgroup.empty()) {
        return;
    }
    try {
        auto placed = cgroups_.place(row.pid, row.id, spec->cgroup);
        if (!placed) {
            log()->warn("{}: cgroup limits not set: {}", row.id, placed.err().detail);
        }
    } catch (const std::exception& e) {
        log()->warn("{}: cgroup limits not set: {}", row.id, e.what());
    }
}

void host_daemon::on_instance(const registry::instance& record, bool present) {
    std::lock_guard lock(registered_mutex_);
    if (present && record.registered) {
        registered_.insert(record.id);
    } else {
        registered_.erase(record.id);
    }
}

bool host_daemon::registered(const std::string& id) const {
    std::lock_guard lock(registered_mutex_);
    return registered_.contains(id);
}

std::string host_daemon::answer(const std::string& name, const std::string& argument) {
    command_context context{
        .host = settings_.host, .log_dir = settings_.log_dir, .log_files = settings_.log_files};
    std::string out;
    {
        std::lock_guard lock(mutex_);
        context.events = &events_;
        context.rotation = [this](const std::string& id) { return pressure_.reason(id); };
        context.dropped = [this](const std::string& id) -> std::uint64_t {
            const auto at = logs_.find(id);
            return at == logs_.end() ? 0 : at->second->dropped_lines();
        };
        out = answer_command(*supervisor_, context, name, argument);
    }
    wake_.signal();  // a process may have started or stopped: new fds, timers
    return out;
}

}  // namespace skynet::daemon
