#pragma once
// One hiredis connection, owned, with every failure turned into a result.
// Private to the registry: hiredis never appears in a public header.

#include <hiredis/hiredis.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry::detail {

struct reply_deleter {
    void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

using command_line = std::vector<std::string>;

// The text of a string, status or error reply; empty for other types.
inline std::string_view text_of(const redisReply& reply) noexcept {
    return reply.str != nullptr ? std::string_view(reply.str, reply.len) : std::string_view{};
}

class redis_link {
public:
    // Connects within opts.connect_timeout, sets the command timeout, sends
    // AUTH and SELECT. unavailable, unauthorized or service_error. Through
    // Sentinel, the master is looked up first (sentinel.hpp) and confirmed a
    // master once connected.
    static bus::result<redis_link> open(const options& opts);

    // One command and its reply. An error reply becomes service_error
    // (unauthorized for NOAUTH/WRONGPASS). A lost or timed-out connection is
    // unavailable and leaves the link broken.
    bus::result<reply_ptr> command(const command_line& args);

    // Sends every command, then reads every reply, in order. Error replies
    // stay in their place (REDIS_REPLY_ERROR); only the network fails it all.
    bus::result<std::vector<reply_ptr>> pipeline(std::span<const command_line> commands);

    // For a subscriber: sends without waiting for a reply.
    bus::result<void> send(const command_line& args);
    // Reads what the socket holds (call when fd() is readable) and returns
    // the complete replies it made.
    bus::result<std::vector<reply_ptr>> read_available();
    // The complete replies already read from the socket but not yet taken
    // (a read may bring more than the reply asked for).
    bus::result<std::vector<reply_ptr>> take_buffered();
    int fd() const noexcept { return context_->fd; }

    bool broken() const noexcept { return broken_; }
    const std::string& where() const noexcept { return where_; }

private:
    struct context_deleter {
        void operator()(redisContext* context) const noexcept { redisFree(context); }
    };
    redis_link(std::unique_ptr<redisContext, context_deleter> context, std::string where);
    static bus::result<redis_link> open_at(const redis_url& target, const options& opts,
                                           std::string where);
    bus::error lost(std::string_view doing);
    bus::result<void> append(const command_line& args);
    bus::result<void> flush();

    std::unique_ptr<redisContext, context_deleter> context_;
    std::string where_;
    bool broken_ = false;
};

// The error an error reply stands for.
bus::error reply_error(const redisReply& reply, std::string_view where);

}  // namespace skynet::registry::detail
