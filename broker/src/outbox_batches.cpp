// Batch frames from the broker: requests for workers and replies for clients
// that agreed to take them (docs/design.md), gathered per peer while one
// inbound message is handled, so that a client's batch of requests leaves as
// one batch per worker, and a worker's batch of replies as one per client.
#include "counters.hpp"
#include "outbox.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

outbox::stage& outbox::stage_for(std::string_view peer, bool to_worker, stage_ref& ref) {
    if (ref.burst == burst_) {
        return *stages_[ref.index];
    }
    if (active_ == stages_.size()) {
        stages_.push_back(std::make_unique<stage>());
    }
    ref = {burst_, static_cast<std::uint32_t>(active_)};
    auto& s = *stages_[active_++];
    s.to_worker = to_worker;
    s.peer.assign(peer);  // keeps its capacity: no allocation once warm
    return s;
}

bus::batch::writer& outbox::stage_requests(std::string_view worker, stage_ref& ref) {
    return stage_for(worker, true, ref).batch;
}

bus::batch::writer& outbox::stage_replies(std::string_view client, stage_ref& ref) {
    return stage_for(client, false, ref).batch;
}

void outbox::staged(const stage_ref& ref) {
    auto& s = *stages_[ref.index];
    if (s.batch.size() >= batch_limit_ && !send_stage(s) && s.to_worker) {
        failed_.push_back(s.peer);
    }
}

void outbox::flush_staged(std::vector<std::string>& unreachable) {
    for (auto& failed : failed_) {
        unreachable.push_back(std::move(failed));
    }
    failed_.clear();
    for (std::size_t i = 0; i < active_; ++i) {
        auto& s = *stages_[i];
        if (!s.batch.empty() && !send_stage(s) && s.to_worker) {
            unreachable.push_back(s.peer);
        }
        s.batch.clear();
    }
    active_ = 0;
    ++burst_;  // every peer's ref is stale now
}

void outbox::discard_staged(const stage_ref& ref) noexcept {
    if (ref.burst == burst_) {
        stages_[ref.index]->batch.clear();
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
    // Counted before it leaves: a peer its records answer may read the
    // stats at once. Taken back if it could not leave.
    stats_.batches_sent.add();
    stats_.batch_records_sent.add(records);
    if (bus::send_frames(router_, out_, true) != bus::send_outcome::sent) {
        stats_.batches_sent.set(stats_.batches_sent.get() - 1);
        stats_.batch_records_sent.set(stats_.batch_records_sent.get() - records);
        stats_.undeliverable.add(records);
        return false;
    }
    return true;
}

}  // namespace skynet::broker_detail
