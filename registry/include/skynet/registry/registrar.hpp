#pragma once
// Keeps one instance registered for as long as its owner (a broker, worker or
// daemon) lives: writes the record, refreshes its lease every lease/3, writes
// changes the owner makes, and registers again by itself when Redis comes
// back. All of it on its own thread: no call here ever waits on Redis, so a
// message loop may call them (docs/design.md: the data path never waits on Redis).
//
// If the owner dies without a word (SIGKILL), nobody refreshes the lease and
// the record disappears from every query within it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/commands.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

struct registrar_settings {
    // How long the record outlives its last refresh (docs/design.md: the bound on
    // reporting a crashed instance). Refreshed every lease/3.
    std::chrono::milliseconds lease{10000};
    // Changes coming faster are written together, at most once per interval.
    std::chrono::milliseconds min_write_interval{100};
    // Reconnection backoff doubles from 100 ms up to this.
    std::chrono::milliseconds max_backoff{2000};
};

class registrar {
public:
    // Starts the thread, which connects and writes `record`, and returns at
    // once. started_at defaults to now. Throws std::invalid_argument for an
    // empty id or a lease under 30 ms (programming errors).
    registrar(options opts, instance record, registrar_settings settings = {});
    // Removes the record unless abandon() was called, then joins the thread.
    // Waits for a write in progress and the removal: bounded by the connect
    // and command timeouts, never longer.
    ~registrar();
    registrar(const registrar&) = delete;
    registrar& operator=(const registrar&) = delete;

    // Changes the record; the thread writes it soon (at most one write per
    // min_write_interval) and sets updated_at. Any thread may call these.
    // update() must not change the id (it is restored if it does).
    void set_registered(bool registered);
    void set_methods(std::vector<std::string> methods);
    void set_stats(const instance_stats& stats);
    void update(const std::function<void(instance&)>& change);

    // Removes another instance's record soon, on this registrar's thread,
    // publishing `removed`: a broker that saw a worker die through heartbeats
    // reports it at once instead of waiting for its lease. Best effort: if
    // Redis is away, the lease removes it. Any thread may call it. With a
    // pid, only while the record is still that process's (see
    // connection::remove).
    void remove_other(std::string id, std::int64_t pid = 0);

    // Takes commands addressed to this instance (commands.hpp): the first
    // call subscribes to `<prefix>commands:<id>` on a thread of its own,
    // which calls `handlers` and acknowledges each command; later calls
    // replace the handlers. Subscribes again by itself after Redis comes
    // back. Any thread may call it; it never waits on Redis.
    void handle_commands(command_handlers handlers);
    // True while commands can reach this instance (subscribed).
    bool commands_subscribed() const;

    // The record as the owner last set it.
    instance record() const;
    // True while the last write reached Redis.
    bool online() const;
    // Why the last write failed; nothing while online.
    std::optional<bus::error> last_error() const;

    // Stops refreshing and taking commands, and leaves the record to
    // expire, as a crash would (for tests, and for a process about to exec
    // itself).
    void abandon();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::registry
