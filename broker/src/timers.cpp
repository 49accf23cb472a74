// What time does in the broker: heartbeats, dead workers, requests that waited
// too long, and shutdown.
#include <algorithm>

#include "broker_core.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

std::chrono::milliseconds broker_core::tick_interval() const noexcept {
    // Fine enough to answer unserved requests near unknown_service_wait.
    return std::min(options_.heartbeat, std::chrono::milliseconds(100));
}

void broker_core::on_tick(time_point now) {
    // A broker that did not run for longer than a heartbeat (an overloaded
    // machine, seen beside CPU hogs with a 250 ms heartbeat) heard no one
    // meanwhile, and its workers may not have run either: their silence
    // until then says nothing. They get one heartbeat to be heard.
    if (last_tick_ != time_point{} && now - last_tick_ > options_.heartbeat) {
        excused_until_ = now + options_.heartbeat;
    }
    last_tick_ = now;
    sweep_queues(now);
    call_roll(now);
    report_services();
    stats_.clients.set(clients_.active());
    if (now >= next_forget_) {
        next_forget_ = now + options_.heartbeat;
        forget_idle_services();
        clients_.trim();
        std::erase_if(pending_credits_,
                      [&](const auto& entry) { return entry.second.expires <= now; });
    }
}

void broker_core::call_roll(time_point now) {
    // Enough workers per tick that each is checked once per heartbeat.
    const auto ticks = std::max<std::int64_t>(options_.heartbeat / tick_interval(), 1);
    // Never more than the roll holds: a worker seen twice would be removed twice.
    auto slice = std::min(roll_.size(), roll_.size() / static_cast<std::size_t>(ticks) + 1);
    scratch_workers_.clear();
    for (; slice > 0 && !roll_.empty(); --slice) {
        auto& w = *roll_.front();
        roll_.move_to_back(w);
        if (w.expiry <= now && silent_for_sure(w.expiry, now)) {
            scratch_workers_.push_back(&w);
        } else if (now - w.last_sent >= options_.heartbeat) {
            // 7/MDP: heartbeats only when nothing else was sent.
            out_.command(w.identity, mdp::command::heartbeat);
            w.last_sent = now;
        }
    }
    for (auto* w : scratch_workers_) {
        log_->warn(
            "worker expired service={} holding={} silent_ms={}", w->announced, w->holding,
            std::chrono::duration_cast<std::chrono::milliseconds>(now - w->expiry + expiry_window_)
                .count());
        stats_.workers_lost.add();
        if (options_.on_worker_lost) {
            options_.on_worker_lost(w->identity);
        }
        remove_worker(*w, now);
    }
}

void broker_core::report_services() {
    if (!services_changed_ || !options_.on_services_changed) {
        return;
    }
    services_changed_ = false;
    std::vector<std::string> names;
    for (const auto& [name, svc] : services_) {
        if (svc->workers > 0) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    options_.on_services_changed(names);
}

bool broker_core::sweep_due(const service& svc, time_point now) const noexcept {
    if (now >= svc.earliest_deadline) {
        return true;
    }
    // Arrival order: if the oldest has not waited long enough, none has.
    if (svc.workers != 0 || svc.queue.empty()) {
        return false;
    }
    const auto since = std::max(svc.queue.oldest().enqueued_at, svc.no_workers_since);
    return now - since >= options_.unknown_service_wait;
}

void broker_core::sweep_queues(time_point now) {
    std::erase_if(waiting_services_, [&](service* svc) {
        if (!sweep_due(*svc, now)) {
            return false;
        }
        svc->earliest_deadline = time_point::max();
        svc->queue.remove_if([&](queued_request& r) {
            if (r.terms.deadline <= now) {
                stats_.expired.add();
                return true;
            }
            const auto since = std::max(r.enqueued_at, svc->no_workers_since);
            if (svc->workers == 0 && now - since >= options_.unknown_service_wait) {
                answer_error(std::move(r.terms.client), svc->name,
                             bus::rpc::peek_request(r.body[0]), bus::errc::unknown_service,
                             "no worker serves this service");
                stats_.unknown_service.add();
                return true;
            }
            svc->earliest_deadline = std::min(svc->earliest_deadline, r.terms.deadline);
            return false;
        });
        if (svc->queue.empty()) {
            svc->waiting = false;
            svc->queue.shrink_if_idle();
            return true;
        }
        return false;
    });
    queued_total_ = 0;
    for (auto* svc : waiting_services_) {
        queued_total_ += svc->queue.size();
    }
    stats_.queued.set(queued_total_);
}

void broker_core::forget_idle_services() {
    // Names clients asked for but nobody serves would otherwise pile up.
    std::erase_if(services_, [](const auto& entry) {
        const auto& svc = *entry.second;
        return svc.workers == 0 && svc.queue.empty() && !svc.waiting;
    });
    stats_.services.set(services_.size());
}

void broker_core::begin_drain(time_point now) {
    (void)now;
    draining_ = true;
    for (auto* svc : waiting_services_) {
        while (!svc->queue.empty()) {
            auto& r = svc->queue.front();
            answer_error(std::move(r.terms.client), svc->name, bus::rpc::peek_request(r.body[0]),
                         bus::errc::unavailable, "broker is shutting down");
            svc->queue.pop_front();
        }
        svc->waiting = false;
    }
    waiting_services_.clear();
    queued_total_ = 0;
    stats_.queued.set(0);
    log_->info("draining in_flight={} workers={}", inflight_.in_use(), workers_.size());
}

void broker_core::finish(time_point now) {
    scratch_workers_.clear();
    for (auto& [identity, w] : workers_) {
        scratch_workers_.push_back(w.get());
    }
    for (auto* w : scratch_workers_) {
        out_.command(w->identity, mdp::command::disconnect);
        remove_worker(*w, now);  // what it still holds is answered
    }
}

}  // namespace skynet::broker_detail
