#include "switch_watch.hpp"

#include <poll.h>

#include <algorithm>
#include <string_view>

#include "sentinel.hpp"

namespace skynet::registry::detail {

namespace {

constexpr std::chrono::milliseconds watch_timeout{500};
constexpr std::chrono::seconds watch_retry{1};
constexpr std::string_view switch_channel = "+switch-master";

// "<name> <old ip> <old port> <new ip> <new port>": is it about `name`?
bool names_master(std::string_view payload, std::string_view name) {
    return payload.size() > name.size() && payload.starts_with(name) && payload[name.size()] == ' ';
}

bool readable(int fd) {
    pollfd item{fd, POLLIN, 0};
    return ::poll(&item, 1, 0) == 1;
}

}  // namespace

void switch_watch::subscribe() {
    for (const auto& sentinel : sentinels_in_order(opts_.redis)) {
        options direct;
        direct.redis.host = sentinel.host;
        direct.redis.port = sentinel.port;
        direct.connect_timeout = std::min(opts_.connect_timeout, watch_timeout);
        direct.command_timeout = std::min(opts_.command_timeout, watch_timeout);
        auto link = redis_link::open(direct);
        if (link && link->command({"SUBSCRIBE", std::string(switch_channel)})) {
            link_.emplace(std::move(link).value());
            sentinel_answered(opts_.redis, sentinel);
            return;
        }
    }
}

int switch_watch::fd() const noexcept {
    return link_ && !link_->broken() ? link_->fd() : -1;
}

std::optional<std::chrono::milliseconds> switch_watch::look_again_in() const {
    if (!opts_.redis.via_sentinel() || fd() >= 0) {
        return std::nullopt;
    }
    const auto left = next_try_ - std::chrono::steady_clock::now();
    return std::max(std::chrono::ceil<std::chrono::milliseconds>(left),
                    std::chrono::milliseconds(0));
}

bool switch_watch::master_switched() {
    if (!opts_.redis.via_sentinel()) {
        return false;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!link_ || link_->broken()) {
        link_.reset();
        if (now < next_try_) {
            return false;
        }
        next_try_ = now + watch_retry;
        subscribe();
        return false;
    }
    auto replies = readable(link_->fd()) ? link_->read_available() : link_->take_buffered();
    if (!replies) {
        link_.reset();  // looked for again on a later call
        return false;
    }
    bool switched = false;
    for (const auto& reply : *replies) {
        // ["message", "+switch-master", payload]; a confirmation is skipped.
        if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
            text_of(*reply->element[0]) == "message" &&
            names_master(text_of(*reply->element[2]), opts_.redis.master_name)) {
            switched = true;
        }
    }
    return switched;
}

}  // namespace skynet::registry::detail
