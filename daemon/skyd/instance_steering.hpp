#pragma once
// Tells managed instances to leave or rejoin rotation (register,
// unregister) through the registry's command channel, on a thread of its
// own: skyd's loop asks and goes on, never waiting on Redis.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "skynet/registry/commands.hpp"

namespace skynet::daemon {

class instance_steering {
public:
    explicit instance_steering(registry::options redis);
    // Drops what is still queued (skyd is leaving), then joins.
    ~instance_steering();
    instance_steering(const instance_steering&) = delete;
    instance_steering& operator=(const instance_steering&) = delete;

    // Any thread; never blocks on Redis.
    void tell(std::string id, registry::command what);

private:
    void run();

    registry::options redis_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::pair<std::string, registry::command>> queue_;  // guarded by mutex_
    bool closing_ = false;                                         // guarded by mutex_
    std::thread thread_;
};

}  // namespace skynet::daemon
