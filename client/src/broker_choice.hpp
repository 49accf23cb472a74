#pragma once
// Which broker a call goes to. With fixed brokers, any of them; with
// brokers found in the registry, one that serves the call's service, in the
// client's own region first (docs/design.md), by the registry's broker
// directory's policy (registry/broker_directory.hpp). Among equals, live
// ones that are not refusing first, round robin.

#include "link_set.hpp"
#include "pending_call.hpp"
#include "skynet/registry/broker_directory.hpp"

namespace skynet::client_detail {

// How a client ranks the brokers it discovers.
registry::directory_policy client_directory_policy(const std::string& region);

class broker_choice {
public:
    broker_choice(const link_set& links, bool discovering, const std::string& region)
        : links_(links), discovering_(discovering), policy_(client_directory_policy(region)) {}

    // How well a link suits a call: 0 not at all, higher is better.
    int suitability(const broker_link& link, const pending_call& call) const noexcept;
    // True if a live broker now suits `call` better than the one it went to
    // (one that serves its service, where the last did not).
    bool better_broker_known(const pending_call& call) const noexcept;
    // True if a call answered UNAVAILABLE by broker `from` should move to
    // another broker that suits it and is not refusing (once per broker at
    // most).
    bool moves_elsewhere(const pending_call& call, int from, time_point now) const noexcept;
    // True if a call answered UNKNOWN_SERVICE by broker `from` should try
    // another: one the registry says serves it better, or one it has not
    // tried (a broker just restarted has no workers yet, while the others
    // may; with fixed brokers, nobody says).
    bool may_serve_elsewhere(const pending_call& call, int from, time_point now) const noexcept;
    // True if a broker other than `from` suits `call` and is not refusing.
    bool another_broker_for(const pending_call& call, int from, time_point now) const noexcept;

    // Why no broker took `call` now, for fail-fast (engine::try_send).
    // True if some broker, live or not, serves its service by the registry
    // (always, with fixed brokers: they do not say, and for mmi.*). A
    // discovering client sends a call only then: a broker that does not
    // serve it would only answer UNKNOWN_SERVICE, after waiting for a worker.
    bool anyone_serves(const pending_call& call) const noexcept;
    // True if every broker the call could go to is declared dead and
    // refuses connections (broker_link::unreachable), or there is none.
    bool all_unreachable(const pending_call& call) const noexcept;
    // The brokers it could go to, for an error's detail: "tcp://a, tcp://b".
    std::string candidates(const pending_call& call) const;

    // Offers `call` to the brokers in the order it should try them, calling
    // `send(index)` until one returns true: every other broker before
    // `avoid`; the best-suited first; among equals, usable ones (live, not
    // refusing) before the others, round robin. The index that took it, or
    // -1 if none did.
    template <class Send>
    int offer(const pending_call& call, time_point now, int avoid, Send&& send) {
        for (const bool to_avoided : {false, true}) {
            for (int rank = discovering_ ? 3 : 1; rank >= 1; --rank) {
                for (const bool usable_ones : {true, false}) {
                    const int sent =
                        offer_rank(call, now, {rank, usable_ones, avoid, to_avoided}, send);
                    if (sent >= 0) {
                        return sent;
                    }
                }
            }
            if (avoid < 0) {
                break;
            }
        }
        return -1;
    }

private:
    struct rank_filter {
        int rank;
        bool usable;
        int avoid;
        bool to_avoided;
    };

    template <class Send>
    int offer_rank(const pending_call& call, time_point now, rank_filter f, Send& send) {
        const auto n = links_.size();
        for (std::size_t k = 0; k < n; ++k) {
            const auto i = (next_link_ + k) % n;
            const auto& link = links_[i];
            if (link.usable(now) != f.usable || (static_cast<int>(i) == f.avoid) != f.to_avoided ||
                suitability(link, call) != f.rank) {
                continue;
            }
            if (send(i)) {
                next_link_ = i + 1;
                return static_cast<int>(i);
            }
        }
        return -1;
    }

    const link_set& links_;
    const bool discovering_;  // no fixed brokers: they come from the registry
    // How discovered brokers rank: our region first, then the others; one
    // gone from the registry is a last resort.
    const registry::directory_policy policy_;
    std::size_t next_link_ = 0;
};

}  // namespace skynet::client_detail
