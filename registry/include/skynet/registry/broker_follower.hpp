#pragma once
// A broker_directory kept in step with the registry: an instance_listener
// feeds it the brokers its policy asks for, and a thread of its own drops
// vanished brokers when their grace has passed. What clients and workers
// that discover their brokers run.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "skynet/registry/broker_directory.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

class instance_listener;

class broker_follower {
public:
    // Called whenever the directory's brokers() changed, with the new list,
    // one call at a time, on the listener's thread or the follower's own.
    // It runs under the follower's lock: it must not destroy the follower.
    // An exception it throws is logged and ignored.
    using change_callback = std::function<void(const std::vector<broker_entry>& brokers)>;

    // Starts following at once; the first brokers arrive once Redis answers.
    // Throws std::system_error if a thread cannot be started.
    broker_follower(options registry, directory_policy policy, change_callback on_change);
    // Stops both threads; no callback runs after it returns.
    ~broker_follower();
    broker_follower(const broker_follower&) = delete;
    broker_follower& operator=(const broker_follower&) = delete;

    // The brokers now listed (any thread).
    std::vector<broker_entry> brokers() const;
    // True once the registry's brokers were read and every change callback
    // for them has returned (any thread). It stays true while Redis is
    // down: the brokers known then are still listed.
    bool loaded() const noexcept;

private:
    void seen(const instance& broker);
    void gone(const instance& broker);
    void publish_if(bool changed);  // mutex_ held
    void expire_loop();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    broker_directory directory_;  // guarded by mutex_
    bool stopping_ = false;       // guarded by mutex_
    change_callback on_change_;
    std::thread expiry_;
    mutable std::atomic<bool> loaded_{false};      // sticky once the listener synchronised
    std::unique_ptr<instance_listener> listener_;  // last: its callbacks use the above
};

}  // namespace skynet::registry
