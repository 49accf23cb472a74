#pragma once
// Following one pub/sub channel of the registry's Redis (`<prefix><name>`)
// on a thread of its own: each message is handed to a callback. While Redis
// is down it reconnects with backoff (100 ms doubling to 2 s); messages
// published meanwhile are lost, as Redis pub/sub loses them.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

class channel_subscriber {
public:
    // Called on the subscriber's thread, one message at a time. A callback
    // that throws is logged and ignored. It must not destroy its subscriber.
    using on_message = std::function<void(std::string_view message)>;

    // Starts the thread and returns at once. Throws std::system_error if the
    // thread or its wake-up descriptor cannot be made.
    channel_subscriber(options opts, std::string name, on_message callback);
    // Stops and joins the thread at once (no Redis timeout is waited for).
    ~channel_subscriber();
    channel_subscriber(const channel_subscriber&) = delete;
    channel_subscriber& operator=(const channel_subscriber&) = delete;

    // True while subscribed: a message published now is delivered.
    bool connected() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::registry
