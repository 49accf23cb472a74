// Brokers found in the registry (clients given no fixed brokers): links come
// and go with the registry, and each call goes where its service is served,
// in the client's own region first (docs/design.md). The policy is the
// registry's broker directory's (registry/broker_directory.hpp).
#include <unistd.h>

#include <algorithm>

#include "engine.hpp"

namespace skynet::client_detail {

registry::directory_policy client_directory_policy(const std::string& region) {
    // Every region's registered brokers, ours first; one that vanished from
    // the registry stays as long as it answers (the engine's `up`).
    return registry::directory_policy{.region = region,
                                      .region_only = false,
                                      .registered_only = true,
                                      .grace = std::chrono::milliseconds::max()};
}

void engine::set_directory(std::vector<broker_entry> brokers) {
    {
        auto lock = inbox_.lock();
        directory_ = std::move(brokers);
        if (!driving_) {
            background_.notify_one();
        }
    }
    inbox_.wake();  // a driver in poll
}

void engine::apply_directory(std::vector<broker_entry>& brokers, time_point now) {
    for (auto& link : links_) {
        link.retired = true;  // unless the registry still has it, below
    }
    for (auto& entry : brokers) {
        auto it = std::find_if(links_.begin(), links_.end(),
                               [&](const broker_link& l) { return l.endpoint == entry.endpoint; });
        if (it == links_.end()) {
            // Links are never erased: calls and raw sockets name them by index.
            auto& link = links_.emplace_back();
            link.endpoint = entry.endpoint;
            link.last_heard = now;
            reset_socket(link);
            items_dirty_ = true;
            log_->debug("broker found broker={} region={}", entry.endpoint, entry.region);
            it = links_.end() - 1;
        }
        it->retired = entry.vanished;
        it->region = std::move(entry.region);
        it->services = std::move(entry.services);
        std::sort(it->services.begin(), it->services.end());
    }
}

int engine::suitability(const broker_link& link, const pending_call& call) const noexcept {
    if (!discovering_) {
        return 1;  // brokers given by the caller: any of them
    }
    // Gone from the registry, but maybe only because Redis lost its data and
    // the broker has not registered again yet: a last resort while it answers.
    if (link.retired && !link.up) {
        return 0;
    }
    return policy_.rank(link.region, link.services, link.retired, call.service);
}

bool engine::better_broker_known(const pending_call& call) const noexcept {
    if (!discovering_ || call.link < 0) {
        return false;
    }
    const auto used = suitability(links_[static_cast<std::size_t>(call.link)], call);
    return std::any_of(links_.begin(), links_.end(), [&](const broker_link& link) {
        return link.up && suitability(link, call) > std::max(used, 1);
    });
}

bool engine::moves_elsewhere(const pending_call& call, int from, time_point now) const noexcept {
    return call.moves + 1 < static_cast<int>(links_.size()) && another_broker_for(call, from, now);
}

bool engine::another_broker_for(const pending_call& call, int from, time_point now) const noexcept {
    // Not refusing is enough: a broker restarting on its endpoint is not
    // "up" again until it answers a ping, and an attempt at a dead one fails
    // at once (ZMQ_IMMEDIATE) and waits for a broker, running nothing twice.
    for (std::size_t i = 0; i < links_.size(); ++i) {
        if (static_cast<int>(i) != from && now >= links_[i].refusing_until &&
            suitability(links_[i], call) > 0) {
            return true;
        }
    }
    return false;
}

}  // namespace skynet::client_detail
