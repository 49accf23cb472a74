#pragma once
// The pub/sub side of a listener: a second connection, subscribed to
// `<prefix>events`, read only when its descriptor is readable, so that the
// listener's poll loop can also wait on its wake-up descriptor and timers.

#include <string>
#include <vector>

#include "redis_link.hpp"
#include "skynet/bus/result.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry::detail {

class subscriber {
public:
    // Connects and subscribes; returns once Redis confirmed the subscription,
    // so that no event published after this returns is missed.
    static bus::result<subscriber> open(const options& opts);

    int fd() const noexcept { return link_.fd(); }

    // The ids named by the events received so far. Reads the socket first
    // when `read_socket` (only when poll said it is readable: the read blocks
    // otherwise). A payload that is not "<event> <id>" is ignored.
    bus::result<std::vector<std::string>> take_ids(bool read_socket);

private:
    subscriber(redis_link link, std::string channel)
        : link_(std::move(link)), channel_(std::move(channel)) {}

    redis_link link_;
    std::string channel_;
};

}  // namespace skynet::registry::detail
