#include "skynet/registry/registrar.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "command_listener.hpp"
#include "retry_backoff.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/registry/connection.hpp"
#include "skynet/runtime/logging.hpp"
#include "switch_watch.hpp"

namespace skynet::registry {

using bus::clock;
using bus::time_point;
using std::chrono::milliseconds;

namespace {}  // namespace

struct registrar::impl {
    const options opts;
    const registrar_settings settings;
    std::shared_ptr<spdlog::logger> log = runtime::logger_for("registry");

    // Guards everything below it; the thread holds it only between writes.
    mutable std::mutex mutex;
    std::condition_variable wake;
    instance record;
    bool dirty = true;
    bool stopping = false;
    bool abandoned = false;
    bool online = false;
    std::optional<bus::error> last_error;
    // Other instances' records to remove: id, and the pid it must hold (0: any).
    std::vector<std::pair<std::string, std::int64_t>> removals;

    // Guards commands: created by the first handle_commands(), from any thread.
    mutable std::mutex commands_mutex;
    std::unique_ptr<detail::command_listener> commands;

    // The thread's own: a failover that leaves the old master up (Sentinel).
    detail::switch_watch master_moves{opts};

    std::thread thread;  // last: starts once everything above exists

    impl(options o, instance r, registrar_settings s)
        : opts(std::move(o)), settings(s), record(std::move(r)) {}

    void change(const std::function<void(instance&)>& edit) {
        std::lock_guard lock(mutex);
        instance edited = record;
        edit(edited);
        edited.id = record.id;
        if (edited != record) {
            record = std::move(edited);
            dirty = true;
            wake.notify_one();
        }
    }

    void stop(bool abandon) {
        {
            // Joined first: a command arriving now finds its handler's owner alive.
            std::lock_guard lock(commands_mutex);
            commands.reset();
        }
        {
            std::lock_guard lock(mutex);
            stopping = true;
            abandoned = abandoned || abandon;
        }
        wake.notify_one();
        if (thread.joinable()) {
            thread.join();
        }
    }

    // What the thread does next: other instances' records to remove, and
    // this record when its write is due.
    struct job {
        std::vector<std::pair<std::string, std::int64_t>> removals;
        std::optional<instance> record;
    };

    // Waits until there is a job: a removal, a change (min_write_interval
    // after the last write) or the refresh. Nothing on stop.
    std::optional<job> next_job(time_point last_write, time_point refresh_at) {
        std::unique_lock lock(mutex);
        auto due = [&] {
            return dirty ? std::min(refresh_at, last_write + settings.min_write_interval)
                         : refresh_at;
        };
        while (!stopping && removals.empty() && clock::now() < due()) {
            wake.wait_until(lock, due());
        }
        if (stopping) {
            return std::nullopt;
        }
        job next{std::exchange(removals, {}), std::nullopt};
        if (clock::now() >= due()) {
            if (dirty) {
                record.updated_at = wall_clock_ms();
                dirty = false;
            }
            next.record = record;
        }
        return next;
    }

    void succeeded(put_outcome outcome, const instance& written) {
        std::lock_guard lock(mutex);
        if (!online || outcome == put_outcome::added) {
            log->info("registered id={} kind={} service={} lease_ms={}", written.id,
                      to_string(written.kind), written.service, settings.lease.count());
        }
        online = true;
        last_error.reset();
    }

    void failed(const bus::error& e, const std::string& id) {
        std::lock_guard lock(mutex);
        if (online || !last_error) {
            log->warn("registry unreachable, retrying id={} error=\"{}\"", id, e.detail);
        } else {
            log->debug("registry still unreachable id={} error=\"{}\"", id, e.detail);
        }
        online = false;
        last_error = e;
    }

    bus::result<void> ensure(std::optional<connection>& conn) {
        // Asked first: its first call subscribes before the master is looked up.
        if (master_moves.master_switched() && conn) {
            log->info("the sentinels named a new master: connecting to it");
            conn.reset();
        }
        if (!conn || conn->broken()) {
            conn.reset();
            auto opened = connection::open(opts);
            if (!opened) {
                return std::move(opened).err();
            }
            conn.emplace(std::move(opened).value());
        }
        return {};
    }

    // One write, connecting first if needed.
    bus::result<put_outcome> write(std::optional<connection>& conn, const instance& snapshot) {
        if (auto ready = ensure(conn); !ready) {
            return ready.err();
        }
        return conn->put(snapshot, settings.lease);
    }

    // A removal that fails is dropped: the record's own lease ends it anyway.
    void remove_others(std::optional<connection>& conn,
                       const std::vector<std::pair<std::string, std::int64_t>>& ids) {
        for (const auto& [id, pid] : ids) {
            auto done = ensure(conn);
            auto removed = done ? conn->remove(id, pid) : bus::result<bool>(done.err());
            if (!removed) {
                log->debug("could not remove id={} error=\"{}\"", id, removed.err().detail);
            }
        }
    }

    void run() {
        std::optional<connection> conn;
        retry_backoff backoff(settings.max_backoff);
        time_point last_write{};
        time_point refresh_at = clock::now();
        while (auto next = next_job(last_write, refresh_at)) {
            remove_others(conn, next->removals);
            const auto& snapshot = next->record;
            if (!snapshot) {
                continue;
            }
            auto outcome = write(conn, *snapshot);
            last_write = clock::now();
            if (outcome) {
                succeeded(*outcome, *snapshot);
                backoff.reset();
                refresh_at = last_write + settings.lease / 3;
            } else {
                failed(outcome.err(), snapshot->id);
                refresh_at = last_write + backoff.next();
            }
        }
        finish(conn);
    }

    // A clean exit removes the record at once, so that nobody waits for the
    // lease; without Redis, the lease does it.
    void finish(std::optional<connection>& conn) {
        std::string id;
        {
            std::lock_guard lock(mutex);
            if (abandoned) {
                return;
            }
            id = record.id;
        }
        if (conn && !conn->broken()) {
            if (auto removed = conn->remove(id); !removed) {
                log->warn("could not remove id={} error=\"{}\"", id, removed.err().detail);
            }
        }
    }
};

registrar::registrar(options opts, instance record, registrar_settings settings) {
    if (record.id.empty()) {
        throw std::invalid_argument("registrar: the instance has no id");
    }
    if (settings.lease < milliseconds(30)) {
        throw std::invalid_argument("registrar: a lease must be at least 30 ms");
    }
    auto now = wall_clock_ms();
    record.started_at = record.started_at != 0 ? record.started_at : now;
    record.updated_at = now;
    impl_ = std::make_unique<impl>(std::move(opts), std::move(record), settings);
    impl_->thread = std::thread([state = impl_.get()] { state->run(); });
}

registrar::~registrar() {
    impl_->stop(false);
}

void registrar::abandon() {
    impl_->stop(true);
}

void registrar::set_registered(bool registered) {
    impl_->change([&](instance& r) { r.registered = registered; });
}

void registrar::set_methods(std::vector<std::string> methods) {
    impl_->change([&](instance& r) { r.methods = std::move(methods); });
}

void registrar::set_stats(const instance_stats& stats) {
    impl_->change([&](instance& r) { r.stats = stats; });
}

void registrar::remove_other(std::string id, std::int64_t pid) {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->removals.emplace_back(std::move(id), pid);
    }
    impl_->wake.notify_one();
}

void registrar::update(const std::function<void(instance&)>& change) {
    impl_->change(change);
}

void registrar::handle_commands(command_handlers handlers) {
    std::lock_guard lock(impl_->commands_mutex);
    if (impl_->commands) {
        impl_->commands->set_handlers(std::move(handlers));
        return;
    }
    std::string id;
    {
        std::lock_guard record_lock(impl_->mutex);
        if (impl_->stopping) {
            return;  // abandoned: a crashed process takes no commands either
        }
        id = impl_->record.id;
    }
    impl_->commands = std::make_unique<detail::command_listener>(
        impl_->opts, std::move(id), std::move(handlers), impl_->settings.max_backoff);
}

bool registrar::commands_subscribed() const {
    std::lock_guard lock(impl_->commands_mutex);
    return impl_->commands && impl_->commands->subscribed();
}

instance registrar::record() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->record;
}

bool registrar::online() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->online;
}

std::optional<bus::error> registrar::last_error() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->last_error;
}

}  // namespace skynet::registry
