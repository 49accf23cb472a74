// Batch frames from the broker: requests for workers and replies for clients
// that agreed to take them (docs/design.md), gathered per peer while one
// inbound message is handled, so that a client's batch of requests leaves as
// one batch per worker, and a worker's batch of replies as one per client.
#include "counters.hpp"
#include "outbox.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

outbox::stage& outbox::stage_for(std::string_view peer, bool to_worker) {
    stage* idle = nullptr;
    for (auto& s : stages_) {
        if (s->active && s->to_worker == to_worker && s->peer == peer) {
            return *s;
        }
        if (!s->active && idle == nullptr) {
            idle = s.get();
        }
    }
    if (idle == nullptr) {
        idle = stages_.emplace_back(std::make_unique<stage>()).get();
    }
    idle->active = true;
    idle->to_worker = to_worker;
    idle->peer.assign(peer);  // keeps its capacity: no allocation once warm
    return *idle;
}

bus::batch::writer& outbox::stage_requests(std::string_view worker) {
    return stage_for(worker, true).batch;
}

bus::batch::writer& outbox::stage_replies(std::string_view client) {
    return stage_for(client, false).batch;
}

void outbox::staged(bus::batch::writer& batch) {
    if (batch.size() < batch_limit_) {
        return;
    }
    for (auto& s : stages_) {
        if (&s->batch == &batch) {
            if (!send_stage(*s) && s->to_worker) {
                failed_.push_back(s->peer);
            }
            return;
        }
    }
}

void outbox::flush_staged(std::vector<std::string>& unreachable) {
    for (auto& failed : failed_) {
        unreachable.push_back(std::move(failed));
    }
    failed_.clear();
    for (auto& s : stages_) {
        if (!s->active) {
            continue;
        }
        if (!s->batch.empty() && !send_stage(*s) && s->to_worker) {
            unreachable.push_back(s->peer);
        }
        s->active = false;
        s->batch.clear();
    }
}

void outbox::discard_staged(std::string_view peer) noexcept {
    for (auto& s : stages_) {
        if (s->active && s->peer == peer) {
            s->batch.clear();
        }
    }
}

// A REQUEST or REPLY whose body is one batch frame: to a worker under the
// client address "mmi.batch", to a client as a reply of mmi.batch.
bool outbox::send_stage(stage& s) {
    const auto records = s.batch.records();
    out_.push_back(bus::frame_of(s.peer));
    if (s.to_worker) {
        mdp::put_request_header(out_, bus::frame_of(bus::batch::service));
    } else {
        mdp::put_client_header(out_, bus::batch::service);
    }
    out_.push_back(s.batch.take());
    if (bus::send_frames(router_, out_, true) != bus::send_outcome::sent) {
        stats_.undeliverable.add(records);
        return false;
    }
    stats_.batches_sent.add();
    return true;
}

}  // namespace skynet::broker_detail
