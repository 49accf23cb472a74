// The broker's workers: joining and leaving, ready lists, credit, and the
// roll call that sends heartbeats and finds the dead.
#include "worker_pool.hpp"

#include <algorithm>

#include "skynet/runtime/logging.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

worker_pool::worker_pool(const broker_options& options, outbox& out, counters& stats)
    : heartbeat_(options.heartbeat),
      tick_(std::min(options.heartbeat, std::chrono::milliseconds(100))),
      expiry_window_(options.heartbeat * options.liveness),
      out_(out),
      stats_(stats),
      log_(runtime::logger_for("broker")) {}

worker_peer* worker_pool::find(std::string_view identity) noexcept {
    auto it = workers_.find(identity);
    return it == workers_.end() ? nullptr : it->second.get();
}

bool worker_pool::grant_credit(std::string_view identity, std::uint32_t credit, bool batching,
                               time_point now) {
    constexpr std::size_t max_pending = 100000;
    if (find(identity) != nullptr || pending_credits_.size() >= max_pending) {
        return false;
    }
    pending_credits_.insert_or_assign(std::string(identity),
                                      pending_credit{credit, now + expiry_window_, batching});
    return true;
}

worker_peer& worker_pool::join(std::string_view identity, std::string_view announced,
                               service& named, service* base, time_point now) {
    auto peer = std::make_unique<worker_peer>();
    auto& w = *peer;
    w.identity = std::string(identity);
    w.announced = std::string(announced);
    if (auto pending = pending_credits_.find(identity); pending != pending_credits_.end()) {
        w.credit = pending->second.credit;
        w.batching = pending->second.batching;
        w.ours = true;
        pending_credits_.erase(pending);
    }
    w.expiry = now + expiry_window_;
    w.last_sent = now;
    // "name@version" serves both "name@version" and "name".
    w.entries[w.entry_count++] = ready_entry{&w, &named, {}};
    if (base != nullptr) {
        w.entries[w.entry_count++] = ready_entry{&w, base, {}};
    }
    roll_.push_back(w);
    workers_.emplace(w.identity, std::move(peer));
    stats_.workers.set(workers_.size());
    log_->info("worker joined service={} credit={} workers={}", w.announced, w.credit,
               workers_.size());
    return w;
}

std::unique_ptr<worker_peer> worker_pool::leave(worker_peer& w) {
    make_unready(w);
    roll_.erase(w);
    auto it = workers_.find(w.identity);
    auto owned = std::move(it->second);
    workers_.erase(it);
    stats_.workers.set(workers_.size());
    return owned;
}

void worker_pool::heard(worker_peer& w, time_point now) {
    w.expiry = now + expiry_window_;
    if (w.quiet) {
        w.quiet = false;
        log_->info("worker heard again service={} holding={}", w.announced, w.holding);
    }
}

worker_peer* worker_pool::next_ready(service& svc, time_point now) {
    while (auto* entry = svc.ready.front()) {
        auto& w = *entry->worker;
        if (!gone_quiet(w, now)) {
            return &w;
        }
        // One comparison per dispatch spares the requests a frozen or
        // cut-off worker would take, up to its credit, until it expires.
        w.quiet = true;
        make_unready(w);
        stats_.quiet_workers.add();
        log_->warn("worker silent while holding requests, set aside service={} holding={}",
                   w.announced, w.holding);
    }
    return nullptr;
}

void worker_pool::hold(worker_peer& w, service& requested, inflight_request& slot, time_point now) {
    w.held.push_back(slot);
    ++w.holding;
    w.last_sent = now;
    if (!w.has_credit()) {
        make_unready(w);
        return;
    }
    for (int i = 0; i < w.entry_count; ++i) {
        auto& entry = w.entries[i];
        if (entry.svc == &requested && ready_list::contains_any(entry)) {
            requested.ready.move_to_back(entry);  // least recently used goes first
        }
    }
}

void worker_pool::release(worker_peer& w, inflight_request& slot) noexcept {
    w.held.erase(slot);
    --w.holding;
}

void worker_pool::pause(worker_peer& w, bool paused, time_point now) {
    heard(w, now);
    w.paused = paused;
    if (paused) {
        make_unready(w);
    }
}

void worker_pool::make_ready(worker_peer& w) {
    if (!w.has_credit()) {
        return;
    }
    for (int i = 0; i < w.entry_count; ++i) {
        auto& entry = w.entries[i];
        if (!ready_list::contains_any(entry)) {
            entry.svc->ready.push_back(entry);
        }
    }
}

void worker_pool::make_unready(worker_peer& w) {
    for (int i = 0; i < w.entry_count; ++i) {
        auto& entry = w.entries[i];
        if (ready_list::contains_any(entry)) {
            entry.svc->ready.erase(entry);
        }
    }
}

bool worker_pool::gone_quiet(const worker_peer& w, time_point now) const noexcept {
    const auto last_heard = w.expiry - expiry_window_;
    // Not checked against caught_up_, unlike expiry: a worker set aside in
    // error is back in service as soon as its next message is read.
    return w.holding > 0 && now - last_heard > 2 * heartbeat_;
}

// Silence since `since` counts only if the broker read everything that
// arrived after it: a broker slowed down (a long burst, a busy machine) may
// hold a worker's heartbeats unread in its own socket; nor while the broker
// is excused after a stall of its own (on_tick). A silence twice as long
// counts anyway, so that a broker that never catches up still drops the
// dead.
bool worker_pool::silent_for_sure(time_point since, time_point now) const noexcept {
    return (since <= caught_up_ && now >= excused_until_) || now - since >= expiry_window_;
}

void worker_pool::on_tick(time_point now) {
    // A broker that did not run for longer than a heartbeat (an overloaded
    // machine, seen beside CPU hogs with a 250 ms heartbeat) heard no one
    // meanwhile, and its workers may not have run either: their silence
    // until then says nothing. They get one heartbeat to be heard.
    if (last_tick_ != time_point{} && now - last_tick_ > heartbeat_) {
        excused_until_ = now + heartbeat_;
    }
    last_tick_ = now;
}

std::span<worker_peer* const> worker_pool::call_roll(time_point now) {
    // Enough workers per tick that each is checked once per heartbeat.
    const auto ticks = std::max<std::int64_t>(heartbeat_ / tick_, 1);
    // Never more than the roll holds: a worker seen twice would be removed twice.
    auto slice = std::min(roll_.size(), roll_.size() / static_cast<std::size_t>(ticks) + 1);
    scratch_.clear();
    for (; slice > 0 && !roll_.empty(); --slice) {
        auto& w = *roll_.front();
        roll_.move_to_back(w);
        if (w.expiry <= now && silent_for_sure(w.expiry, now)) {
            expired(w, now);
            // Off the ready lists now: removing the expired before it may
            // run its requests again, and a send to this one could fail and
            // drop it then, before its own turn to be removed.
            make_unready(w);
            scratch_.push_back(&w);
        } else if (now - w.last_sent >= heartbeat_) {
            // 7/MDP: heartbeats only when nothing else was sent.
            out_.command(w.identity, mdp::command::heartbeat);
            w.last_sent = now;
        }
    }
    return scratch_;
}

void worker_pool::expired(const worker_peer& w, time_point now) {
    log_->warn(
        "worker expired service={} holding={} silent_ms={}", w.announced, w.holding,
        std::chrono::duration_cast<std::chrono::milliseconds>(now - w.expiry + expiry_window_)
            .count());
    stats_.workers_lost.add();
}

void worker_pool::forget_credits(time_point now) {
    std::erase_if(pending_credits_, [&](const auto& entry) { return entry.second.expires <= now; });
}

std::span<worker_peer* const> worker_pool::everyone() {
    scratch_.clear();
    for (auto& [identity, w] : workers_) {
        scratch_.push_back(w.get());
    }
    return scratch_;
}

}  // namespace skynet::broker_detail
