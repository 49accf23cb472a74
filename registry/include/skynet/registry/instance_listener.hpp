#pragma once
// Follows the instances that match a query, through `<prefix>events`, and
// calls back as they come, change and go.
//
// On start (and after every reconnection) it reads the matching set and
// delivers the difference to what it has already reported: at first, every
// instance as `added`. Updates arriving close together are coalesced into one
// read, so a burst of changes to one instance gives one `updated` with the
// latest record. An instance that stops matching (it unregistered, and the
// query asks for registered ones) is `removed`. It prunes expired leases
// itself, so a crashed instance is `removed` within its lease without anyone's
// help. While Redis is down it keeps its view (callers keep using what they
// knew) and reconnects with backoff; then it resynchronises, reporting what
// changed meanwhile, so it never keeps a stale view.

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "skynet/registry/instance.hpp"
#include "skynet/registry/query.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

// Called on the listener's own thread, one at a time, in the order things
// happened to each instance. `removed` gets the last record reported. A
// callback that throws is logged and ignored. Callbacks must not destroy
// their listener.
struct listener_callbacks {
    std::function<void(const instance&)> added;
    std::function<void(const instance&)> updated;
    std::function<void(const instance&)> removed;
};

struct listener_settings {
    // Events for the same window are read together (the coalescing window).
    std::chrono::milliseconds coalesce{20};
    // The longest it waits between prunes; it prunes sooner when a lease is
    // due to run out sooner.
    std::chrono::milliseconds max_prune_interval{1000};
    // Reconnection backoff doubles from 100 ms up to this.
    std::chrono::milliseconds max_backoff{2000};
};

class instance_listener {
public:
    // Starts the thread and returns at once; the initial set arrives through
    // `added` once Redis answers. Throws std::system_error if the thread or
    // its wake-up descriptor cannot be created.
    instance_listener(options opts, query filter, listener_callbacks callbacks,
                      listener_settings settings = {});
    // Stops and joins the thread (at most a command timeout).
    ~instance_listener();
    instance_listener(const instance_listener&) = delete;
    instance_listener& operator=(const instance_listener&) = delete;

    // What it has reported so far: the matching instances as last seen.
    std::vector<instance> snapshot() const;
    // True while subscribed and synchronised with Redis.
    bool connected() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::registry
