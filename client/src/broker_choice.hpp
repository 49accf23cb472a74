#pragma once
// Which broker a call goes to. With fixed brokers, any of them; with
// brokers found in the registry, one that serves the call's service, in the
// client's own region first (docs/design.md), by the registry's broker
// directory's policy (registry/broker_directory.hpp). Among equals, live
// ones that are not refusing first, by weight (below); the others round
// robin.
//
// The weight (docs/design.md "Clients and workers that discover brokers"):
// each usable broker of the best rank scores
//     weight / (1 + outstanding)
// where weight is what the registry's figures make of its load
// (registry::load_weight: CPU headroom over 1 + requests queued; 1 for fixed
// brokers and brokers that publish nothing) and outstanding is this
// client's calls out on it now. The figures are a second old at best; the
// outstanding count is this client's own, up to date, and moves calls off a
// broker that answers slowly before its figures say so. Scores are spent by
// smooth weighted round robin: each choice adds every candidate's score to
// its credit, takes the candidate with the most credit and takes the
// candidates' total from it. A client that makes one call at a time (no
// outstanding) thus spreads its calls in proportion to the weights, rather
// than sending them all to whichever broker scored a little higher in the
// last second; equal brokers alternate, ties going to the next in turn
// (next_link_). Nothing allocates but a credit cell for a new broker.

#include <vector>

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
                const rank_filter usable{rank, true, avoid, to_avoided};
                int sent = offer_weighted(call, now, usable, send);
                if (sent < 0) {
                    sent = offer_rank(call, now, usable, send);
                }
                if (sent < 0) {
                    sent = offer_rank(call, now, {rank, false, avoid, to_avoided}, send);
                }
                if (sent >= 0) {
                    return sent;
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

    bool passes(std::size_t i, const pending_call& call, time_point now,
                rank_filter f) const noexcept {
        const auto& link = links_[i];
        return link.usable(now) == f.usable && (static_cast<int>(i) == f.avoid) == f.to_avoided &&
               suitability(link, call) == f.rank;
    }

    // The usable brokers of a rank, by smooth weighted round robin over
    // their scores (above). One offer only: if the chosen one does not take
    // it (its connection just broke), offer_rank tries them all in turn.
    template <class Send>
    int offer_weighted(const pending_call& call, time_point now, rank_filter f, Send& send) {
        const auto n = links_.size();
        if (credits_.size() < n) {
            credits_.resize(n, 0.0);  // a new broker: once, not per call
        }
        double total = 0;
        std::size_t best = n;
        for (std::size_t k = 0; k < n; ++k) {
            const auto i = (next_link_ + k) % n;
            if (!passes(i, call, now, f)) {
                continue;
            }
            const auto& link = links_[i];
            const double score = link.weight / (1.0 + static_cast<double>(link.outstanding));
            credits_[i] += score;
            total += score;
            if (best == n || credits_[i] > credits_[best]) {
                best = i;  // strictly more: a tie goes to the next in turn
            }
        }
        if (best == n || !send(best)) {
            return -1;
        }
        credits_[best] -= total;
        next_link_ = best + 1;
        return static_cast<int>(best);
    }

    template <class Send>
    int offer_rank(const pending_call& call, time_point now, rank_filter f, Send& send) {
        const auto n = links_.size();
        for (std::size_t k = 0; k < n; ++k) {
            const auto i = (next_link_ + k) % n;
            if (!passes(i, call, now, f)) {
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
    std::vector<double> credits_;  // by link: smooth weighted round robin
};

}  // namespace skynet::client_detail
