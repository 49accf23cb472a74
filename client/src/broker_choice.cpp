// Which broker a call goes to (broker_choice.hpp).
#include "broker_choice.hpp"

#include <algorithm>

#include "skynet/bus/mmi.hpp"

namespace skynet::client_detail {

registry::directory_policy client_directory_policy(const std::string& region) {
    // Every region's registered brokers, ours first; one that vanished from
    // the registry stays as long as it answers (the link's `up`).
    return registry::directory_policy{.region = region,
                                      .region_only = false,
                                      .registered_only = true,
                                      .grace = std::chrono::milliseconds::max()};
}

int broker_choice::suitability(const broker_link& link, const pending_call& call) const noexcept {
    if (!discovering_) {
        return 1;  // brokers given by the caller: any of them
    }
    // Gone from the registry, but maybe only because Redis lost its data and
    // the broker has not registered again yet: a last resort until nothing
    // listens where it was (a broker merely slow to answer, as under load
    // while Redis restarts, is still one).
    if (link.retired && !link.up && link.unreachable) {
        return 0;
    }
    return policy_.rank(link.region, link.services, link.retired, call.service);
}

bool broker_choice::better_broker_known(const pending_call& call) const noexcept {
    if (!discovering_ || call.link < 0) {
        return false;
    }
    const auto used = suitability(links_[static_cast<std::size_t>(call.link)], call);
    return std::any_of(links_.begin(), links_.end(), [&](const broker_link& link) {
        return link.up && suitability(link, call) > std::max(used, 1);
    });
}

bool broker_choice::may_serve_elsewhere(const pending_call& call, int from,
                                        time_point now) const noexcept {
    return better_broker_known(call) || moves_elsewhere(call, from, now);
}

bool broker_choice::moves_elsewhere(const pending_call& call, int from,
                                    time_point now) const noexcept {
    return call.moves + 1 < static_cast<int>(links_.size()) && another_broker_for(call, from, now);
}

bool broker_choice::another_broker_for(const pending_call& call, int from,
                                       time_point now) const noexcept {
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

bool broker_choice::anyone_serves(const pending_call& call) const noexcept {
    // Every broker answers mmi.*, and the registry lists none of them.
    if (!discovering_ || bus::mmi::is_internal(call.service)) {
        return true;
    }
    return std::any_of(links_.begin(), links_.end(), [&](const broker_link& link) {
        return suitability(link, call) > 0 && registry::lists_service(link.services, call.service);
    });
}

bool broker_choice::all_unreachable(const pending_call& call) const noexcept {
    return std::none_of(links_.begin(), links_.end(), [&](const broker_link& link) {
        return (link.up || !link.unreachable) && suitability(link, call) > 0;
    });
}

std::string broker_choice::candidates(const pending_call& call) const {
    constexpr int named_at_most = 4;
    std::string out;
    int named = 0;
    int more = 0;
    for (const auto& link : links_) {
        if (suitability(link, call) == 0) {
            continue;
        }
        if (named == named_at_most) {
            ++more;
            continue;
        }
        out += (named++ > 0 ? ", " : "") + link.endpoint;
    }
    if (more > 0) {
        out += " and " + std::to_string(more) + " more";
    }
    return named == 0 ? "none known" : out;
}

}  // namespace skynet::client_detail
