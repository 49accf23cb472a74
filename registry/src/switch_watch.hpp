#pragma once
// Sentinel's word that the master moved: a subscription to `+switch-master`
// on one of the URL's sentinels. A failover can leave the old master up and
// taking writes for seconds (until Sentinel turns it into a replica and
// disconnects its clients), writes the new master never sees: a lease
// refreshed there runs out here. Whoever holds a long-lived connection asks
// this before using it, and reconnects (asking the sentinels again) when it
// says so. Private to the registry; does nothing for a redis:// URL.

#include <chrono>
#include <optional>

#include "redis_link.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry::detail {

class switch_watch {
public:
    explicit switch_watch(options opts) : opts_(std::move(opts)) {}

    // True if a sentinel announced a new master for ours since the last
    // call. Never blocks on a sentinel that is up (reads only what came); a
    // sentinel that is down is looked for again at most once a second, each
    // within a short timeout. The first call subscribes: call it before
    // connecting to the master, so that no switch in between is missed.
    bool master_switched();

    // What a thread waiting on its own socket should also wake for: the
    // subscription's socket (-1 while there is none), and, while there is
    // none, how long until master_switched() looks for a sentinel again
    // (nothing: no need to wake for it).
    int fd() const noexcept;
    std::optional<std::chrono::milliseconds> look_again_in() const;

private:
    void subscribe();

    options opts_;
    std::optional<redis_link> link_;
    std::chrono::steady_clock::time_point next_try_{};
};

}  // namespace skynet::registry::detail
