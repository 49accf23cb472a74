#pragma once
// The workers the broker knows: their table, their places in the services'
// ready lists, the credits granted to connections not yet READY, and what
// time does to them (heartbeats, expiry, being set aside while quiet).
// Runs on the broker's thread only.

#include <spdlog/logger.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "counters.hpp"
#include "outbox.hpp"
#include "service.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/bus/string_map.hpp"
#include "worker_peer.hpp"

namespace skynet::broker_detail {

class worker_pool {
public:
    worker_pool(const broker_options& options, outbox& out, counters& stats);

    // How often on_tick and call_roll are due: fine enough to answer
    // unserved requests near unknown_service_wait.
    std::chrono::milliseconds tick_interval() const noexcept { return tick_; }

    worker_peer* find(std::string_view identity) noexcept;
    std::size_t size() const noexcept { return workers_.size(); }

    // mmi.credit (docs/design.md): a credit for the READY that follows from
    // the same connection. False if refused: it is a worker already, or too
    // many grants wait for their READY.
    bool grant_credit(std::string_view identity, std::uint32_t credit, bool batching,
                      time_point now);
    // READY: a worker announced as `announced`, in the ready lists of
    // `named` and (for "name@version") `base`, with the credit granted
    // before, if any. Not yet ready: make_ready() once it had its share of
    // the queues.
    worker_peer& join(std::string_view identity, std::string_view announced, service& named,
                      service* base, time_point now);
    // Out of the table, the ready lists and the roll call; what it holds is
    // the caller's to recover.
    std::unique_ptr<worker_peer> leave(worker_peer& w);

    // Anything from the worker: it is alive until now + expiry window, and
    // no longer quiet.
    void heard(worker_peer& w, time_point now);
    // The ready worker next in line for `svc`, setting aside those gone quiet.
    worker_peer* next_ready(service& svc, time_point now);
    // `slot` went to `w`, which holds it until its reply: its credit, and
    // its place in line (least recently used goes first).
    void hold(worker_peer& w, service& requested, inflight_request& slot, time_point now);
    // Its answer to `slot` came, or it is gone.
    void release(worker_peer& w, inflight_request& slot) noexcept;
    // mmi.pause and mmi.resume: no new requests, or requests again (once
    // it had its share of the queues: make_ready()). Heard, either way.
    void pause(worker_peer& w, bool paused, time_point now);
    void make_ready(worker_peer& w);
    void make_unready(worker_peer& w);

    // The ROUTER was found empty: everything sent until `now` has been read.
    void caught_up(time_point now) noexcept { caught_up_ = now; }
    // Every tick: notices a stall of the broker's own, which excuses its
    // workers' silence.
    void on_tick(time_point now);
    // Forgets the credit grants no READY followed within the expiry window.
    void forget_credits(time_point now);
    // A slice of the roll call: heartbeats to workers the broker was
    // silent to, and the workers found expired (logged and counted; the
    // caller removes them). Valid until the next call.
    std::span<worker_peer* const> call_roll(time_point now);
    // Every worker, for shutdown. Valid until the next call.
    std::span<worker_peer* const> everyone();

private:
    // True if `w` holds requests and has been silent for two heartbeats.
    bool gone_quiet(const worker_peer& w, time_point now) const noexcept;
    bool silent_for_sure(time_point since, time_point now) const noexcept;
    void expired(const worker_peer& w, time_point now);

    struct pending_credit {
        std::uint32_t credit;
        time_point expires;
        bool batching = false;
    };

    const std::chrono::milliseconds heartbeat_;
    const std::chrono::milliseconds tick_;
    const std::chrono::milliseconds expiry_window_;
    outbox& out_;
    counters& stats_;
    std::shared_ptr<spdlog::logger> log_;
    bus::string_map<std::unique_ptr<worker_peer>> workers_;
    bus::string_map<pending_credit> pending_credits_;
    // Every worker, least recently checked first: each tick checks a slice,
    // so heartbeats and expiry cost the same every tick, not a burst.
    roll_call roll_;
    std::vector<worker_peer*> scratch_;
    time_point caught_up_{};
    time_point last_tick_{};
    time_point excused_until_{};  // no worker expires before: the broker itself stalled
};

}  // namespace skynet::broker_detail
