#pragma once
// Publishing on one pub/sub channel of the registry's Redis (`<prefix><name>`,
// for example "skynet:daemon-events"): a blocking call for a thread that may
// wait, such as skyd's event publisher. Nothing is stored: a message nobody
// is subscribed to is gone, as Redis pub/sub does.

#include <memory>
#include <string>
#include <string_view>

#include "skynet/bus/result.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

class channel_publisher {
public:
    // `name` is the channel without the prefix. Connects lazily, on the
    // first publish.
    channel_publisher(options opts, std::string name);
    ~channel_publisher();
    channel_publisher(channel_publisher&&) noexcept;
    channel_publisher& operator=(channel_publisher&&) noexcept;

    // Publishes `message`; the number of subscribers that received it. A
    // lost connection is opened again on the next call. Blocks up to the
    // connect and command timeouts; unavailable when Redis cannot be reached.
    // Not thread-safe: one thread publishes.
    bus::result<long long> publish(std::string_view message);

    // The full channel name, prefix included.
    const std::string& channel() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::registry
