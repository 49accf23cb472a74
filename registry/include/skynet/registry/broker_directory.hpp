#pragma once
// The brokers a client, a worker or sky may use, as the registry lists them
// (docs/design.md "Clients and workers that discover brokers"): the caller's
// region first, another region's as a fallback, and a broker that vanished
// from the registry kept for a grace period, because a Redis restart that
// lost its data reports every broker removed until each registers again,
// while the brokers themselves still answer.
//
// The callers differ only in their policy, stated here rather than written
// three times: a worker serves on its own region's brokers and leaves a
// vanished one after 6 s; a client uses every region's, its own first, and
// keeps a vanished broker as a last resort for as long as it answers; `sky
// call` reads the list once, draining brokers included.
//
// A plain value, no threads and no Redis: feed it records and ask it. Not
// thread-safe; broker_follower (broker_follower.hpp) keeps one in step with
// the registry.

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/clock.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/registry/query.hpp"

namespace skynet::registry {

// True if a broker whose record lists `services` (sorted) serves a call for
// `service`: "name@version" if it lists exactly that, a bare "name" if it
// lists "name" or any "name@version" (the broker routes a bare name to any
// version, docs/design.md).
bool lists_service(std::span<const std::string> services, std::string_view service) noexcept;

struct directory_policy {
    // The caller's region: its brokers rank first. Unset: every region is
    // the caller's.
    std::optional<std::string> region = {};
    // Only the brokers of `region` (a worker's), not another region's as a
    // fallback.
    bool region_only = false;
    // Only brokers that take new work (registered): a draining broker is left
    // while it finishes what it holds.
    bool registered_only = true;
    // How long a broker that vanished from the registry stays listed, marked
    // `vanished`. max(): until it is seen again; the caller stops using it
    // when it stops answering. zero: it goes at once.
    std::chrono::milliseconds grace = std::chrono::milliseconds::max();
    // Only brokers whose record publishes this CURVE public key (Z85): the
    // key a CURVE client was given (issue #17), so that it never dials a
    // broker its handshake would fail with. Empty: any broker.
    std::string curve_key = {};

    // The brokers to read or follow: kind broker, of `region` when
    // region_only, registered ones when registered_only.
    query broker_query() const;

    // How well a broker suits a request for `service` ("name" or
    // "name@version"): 0 not at all, higher is better. 3: of the caller's
    // region and serving it; 2: another region's, serving it; 1: of the
    // caller's region without it (it answers UNKNOWN_SERVICE after its wait),
    // or vanished but serving it (a last resort); 0 otherwise. `services`
    // must be sorted. Allocates nothing: callers rank brokers per request.
    int rank(std::string_view broker_region, std::span<const std::string> services, bool vanished,
             std::string_view service) const noexcept;
};

struct broker_entry {
    std::string id;
    std::string endpoint;
    std::string region;
    std::vector<std::string> services;  // sorted
    bool vanished = false;              // gone from the registry, kept for the grace period
    // What it last published about its load (zero: idle, or a broker that
    // publishes none). A change is a change of brokers(): followers pass it on.
    broker_load_record load = {};

    friend bool operator==(const broker_entry&, const broker_entry&) = default;
};

// How much of a client's traffic a broker should take, relative to the
// others of its rank, from what it publishes (docs/design.md "Clients and
// workers that discover brokers"): its CPU headroom, 1 - min(cpu, 95)/100,
// so that a saturated broker still gets a trickle and reports again, over
// 1 + the requests it has waiting for a worker. 1 for an idle broker, and for
// one that publishes nothing; always in (0, 1].
double load_weight(const broker_load_record& load) noexcept;

class broker_directory {
public:
    explicit broker_directory(directory_policy policy);

    const directory_policy& policy() const noexcept { return policy_; }

    // A broker the registry lists (added or updated). One that does not match
    // the policy (another region, draining, no endpoint) counts as gone.
    // Each of these returns true when what brokers() returns has changed.
    bool seen(const instance& broker, bus::time_point now);
    // A broker the registry no longer lists: vanished for the grace period.
    bool gone(const instance& broker, bus::time_point now);
    // Drops the brokers whose grace has passed.
    bool expire(bus::time_point now);
    // When expire() next has something to drop; nothing while none vanished.
    std::optional<bus::time_point> next_expiry() const;

    // One entry per endpoint, sorted by endpoint; a live broker wins over a
    // vanished one on the same endpoint (one restarted under a new id).
    std::vector<broker_entry> brokers() const;
    // The endpoints of brokers(): what a worker serves on.
    std::vector<std::string> endpoints() const;
    // The endpoints of the best-ranked live brokers that serve `service`: the
    // caller's region's if any serves it, else every other region's that
    // does (rank 3, else 2). Empty if none serves it.
    std::vector<std::string> endpoints_for(std::string_view service) const;

private:
    struct known {
        broker_entry entry;
        bus::time_point leave_at = bus::time_point::max();  // vanished: when it goes
    };

    directory_policy policy_;
    std::map<std::string, known> known_;  // by instance id
};

}  // namespace skynet::registry
