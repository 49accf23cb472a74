#pragma once
// The instance's side of the command channel (commands.hpp): a thread
// subscribed to `P commands:<id>` that calls the owner's handlers and
// acknowledges each command. It reconnects with backoff after losing Redis,
// and subscribes again, like every other registry thread.

#include <chrono>
#include <memory>
#include <string>

#include "skynet/registry/commands.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry::detail {

class command_listener {
public:
    // Starts the thread. Throws std::system_error if the thread or its
    // wake-up descriptor cannot be created.
    command_listener(options opts, std::string id, command_handlers handlers,
                     std::chrono::milliseconds max_backoff);
    // Stops and joins the thread: at most a command timeout, or the time a
    // handler takes.
    ~command_listener();
    command_listener(const command_listener&) = delete;
    command_listener& operator=(const command_listener&) = delete;

    // Replaces the handlers; the next command uses them. Any thread.
    void set_handlers(command_handlers handlers);
    // True while subscribed.
    bool subscribed() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::registry::detail
