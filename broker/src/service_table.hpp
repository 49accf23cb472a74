#pragma once
// The services the broker knows, by name: how many workers each has, and
// the requests waiting in each one's queue for a worker, until one comes,
// their deadline passes, or no worker came in time. Runs on the broker's
// thread only.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "counters.hpp"
#include "outbox.hpp"
#include "service.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/bus/message.hpp"
#include "skynet/bus/string_map.hpp"
#include "worker_peer.hpp"

namespace skynet::broker_detail {

class service_table {
public:
    service_table(const broker_options& options, outbox& out, counters& stats);

    // The service of that name, remembered from now on if new; nullptr if
    // the broker knows too many (a bound on what peers make it remember).
    service* named(std::string_view name, time_point now);
    const service* find(std::string_view name) const noexcept;
    service* find(std::string_view name) noexcept;  // never creates one
    // The names of the services with workers, sorted. Views into the table:
    // valid until it changes.
    const std::vector<std::string_view>& served();

    void worker_joined(service& svc);
    void worker_left(service& svc, time_point now);

    // A request no worker can take now waits in its service's queue, with
    // frames of its own (a record is copied out of its batch frame, which it
    // then does not pin). False if the queue is full: nothing was taken.
    bool enqueue(service& svc, request_terms&& terms, bus::message_view& request, time_point now);
    // The service with the oldest queued request among those `w` serves,
    // or nullptr if their queues are empty.
    service* oldest_for(const worker_peer& w) noexcept;
    // Takes the oldest request out of `svc`'s queue: its terms, and its
    // frames swapped into `body` (both keep their capacity).
    void dequeue(service& svc, request_terms& terms, bus::frames& body);
    // Drops `client`'s queued request `request_id` (mmi.cancel); false if
    // no queue holds it. Scans the queues: cancelling is rare.
    bool cancel_queued(std::string_view client, std::string_view request_id);

    // Every tick: queued requests whose deadline passed are dropped (their
    // callers have their TIMEOUT), those no worker came for in time get
    // UNKNOWN_SERVICE.
    void on_tick(time_point now);
    // Tells on_services_changed, if the served names changed since.
    void report_changes();
    // Names clients asked for but nobody serves would otherwise pile up.
    void forget_idle();
    // Shutdown: every queued request gets UNAVAILABLE.
    void drain();

    // Every service known, in no particular order (metrics, mmi.service_stats).
    template <class Visit>
    void for_each(Visit&& visit) const {
        for (const auto& [name, svc] : services_) {
            visit(*svc);
        }
    }

private:
    bool sweep_due(const service& svc, time_point now) const noexcept;
    void sweep(service& svc, time_point now);
    void count_queued();

    const broker_options& options_;  // the broker's, which outlives this
    outbox& out_;
    counters& stats_;
    bus::string_map<std::unique_ptr<service>> services_;
    std::vector<service*> waiting_;  // services whose queue may be non-empty
    std::vector<std::string_view> served_;
    std::uint64_t next_sequence_ = 0;
    std::size_t queued_total_ = 0;
    bool changed_ = false;  // for on_services_changed, at the next tick
};

}  // namespace skynet::broker_detail
