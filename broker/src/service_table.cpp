// Services and their queues: requests wait here for a worker, and time
// sweeps out those whose deadline passed or that no worker came for.
#include "service_table.hpp"

#include <algorithm>

#include "skynet/bus/envelope.hpp"

namespace skynet::broker_detail {

service_table::service_table(const broker_options& options, outbox& out, counters& stats)
    : options_(options), out_(out), stats_(stats) {}

service* service_table::named(std::string_view name, time_point now) {
    if (auto it = services_.find(name); it != services_.end()) {
        return it->second.get();
    }
    // Names are capped at 255 bytes by the codec, their number here.
    constexpr std::size_t max_services = 100000;
    if (services_.size() >= max_services) {
        return nullptr;
    }
    auto created = std::make_unique<service>(std::string(name));
    created->no_workers_since = now;
    auto* raw = created.get();
    services_.emplace(raw->name, std::move(created));
    stats_.services.set(services_.size());
    return raw;
}

const service* service_table::find(std::string_view name) const noexcept {
    auto it = services_.find(name);
    return it == services_.end() ? nullptr : it->second.get();
}

service* service_table::find(std::string_view name) noexcept {
    auto it = services_.find(name);
    return it == services_.end() ? nullptr : it->second.get();
}

const std::vector<std::string_view>& service_table::served() {
    served_.clear();
    for (const auto& [name, svc] : services_) {
        if (svc->workers > 0) {
            served_.push_back(name);
        }
    }
    std::sort(served_.begin(), served_.end());
    return served_;
}

void service_table::worker_joined(service& svc) {
    if (svc.workers++ == 0) {
        changed_ = true;
    }
}

void service_table::worker_left(service& svc, time_point now) {
    if (--svc.workers == 0) {
        svc.no_workers_since = now;
        changed_ = true;
    }
}

bool service_table::enqueue(service& svc, request_terms&& terms, bus::message_view& request,
                            time_point now) {
    if (svc.queue.size() >= options_.max_queue) {
        return false;
    }
    auto& slot = svc.queue.push_back();
    svc.earliest_deadline = std::min(svc.earliest_deadline, terms.deadline);
    slot.terms = std::move(terms);
    request.take_all(slot.body);
    slot.enqueued_at = now;
    slot.sequence = next_sequence_++;
    stats_.queued.set(++queued_total_);
    if (!svc.waiting) {
        svc.waiting = true;
        waiting_.push_back(&svc);
    }
    return true;
}

service* service_table::oldest_for(const worker_peer& w) noexcept {
    service* oldest = nullptr;
    for (int i = 0; i < w.entry_count; ++i) {
        auto* svc = w.entries[i].svc;
        if (!svc->queue.empty() &&
            (oldest == nullptr || svc->queue.front().sequence < oldest->queue.front().sequence)) {
            oldest = svc;
        }
    }
    return oldest;
}

void service_table::dequeue(service& svc, request_terms& terms, bus::frames& body) {
    auto& next = svc.queue.front();
    terms = std::move(next.terms);
    std::swap(next.body, body);
    svc.queue.pop_front();
    stats_.queued.set(--queued_total_);
}

bool service_table::cancel_queued(std::string_view client, std::string_view request_id) {
    bool found = false;
    for (auto* svc : waiting_) {
        svc->queue.remove_if([&](queued_request& q) {
            if (found || q.body.empty() || bus::view_of(q.terms.client) != client) {
                return false;
            }
            auto meta = bus::rpc::peek_request(q.body[0]);
            found = meta && meta->request_id == request_id;
            return found;
        });
        if (found) {
            stats_.queued.set(--queued_total_);
            return true;
        }
    }
    return false;
}

void service_table::on_tick(time_point now) {
    std::erase_if(waiting_, [&](service* svc) {
        if (!sweep_due(*svc, now)) {
            return false;
        }
        sweep(*svc, now);
        if (svc->queue.empty()) {
            svc->waiting = false;
            svc->queue.shrink_if_idle();
            return true;
        }
        return false;
    });
    count_queued();
}

bool service_table::sweep_due(const service& svc, time_point now) const noexcept {
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

void service_table::sweep(service& svc, time_point now) {
    svc.earliest_deadline = time_point::max();
    svc.queue.remove_if([&](queued_request& r) {
        if (r.terms.deadline <= now) {
            stats_.expired.add();
            svc.cells.count(bus::errc::timeout);
            return true;
        }
        const auto since = std::max(r.enqueued_at, svc.no_workers_since);
        if (svc.workers == 0 && now - since >= options_.unknown_service_wait) {
            out_.refuse(std::move(r.terms.client), svc.name, bus::rpc::peek_request(r.body[0]),
                        bus::errc::unknown_service, "no worker serves this service");
            stats_.unknown_service.add();
            svc.cells.count(bus::errc::unknown_service);
            return true;
        }
        svc.earliest_deadline = std::min(svc.earliest_deadline, r.terms.deadline);
        return false;
    });
}

void service_table::count_queued() {
    queued_total_ = 0;
    for (auto* svc : waiting_) {
        queued_total_ += svc->queue.size();
    }
    stats_.queued.set(queued_total_);
}

void service_table::report_changes() {
    if (!changed_ || !options_.on_services_changed) {
        return;
    }
    changed_ = false;
    const auto& names = served();
    options_.on_services_changed(std::vector<std::string>(names.begin(), names.end()));
}

void service_table::forget_idle() {
    std::erase_if(services_, [](const auto& entry) {
        const auto& svc = *entry.second;
        return svc.workers == 0 && svc.queue.empty() && !svc.waiting;
    });
    stats_.services.set(services_.size());
}

void service_table::drain() {
    for (auto* svc : waiting_) {
        while (!svc->queue.empty()) {
            auto& r = svc->queue.front();
            out_.refuse(std::move(r.terms.client), svc->name, bus::rpc::peek_request(r.body[0]),
                        bus::errc::unavailable, "broker is shutting down");
            svc->queue.pop_front();
        }
        svc->waiting = false;
    }
    waiting_.clear();
    queued_total_ = 0;
    stats_.queued.set(0);
}

}  // namespace skynet::broker_detail
