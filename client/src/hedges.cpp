// Hedged calls: a second copy of an idempotent call that has had no reply
// for a while, so that one slow or stuck worker or broker does not make the
// caller wait for its deadline. The first reply wins.
#include "engine.hpp"

namespace skynet::client_detail {

void engine::arm_hedge(const pending_call& call, time_point now) {
    if (call.hedge_after.count() > 0 && now + call.hedge_after < call.deadline) {
        hedges_.push({now + call.hedge_after, call.token()});
    }
}

void engine::send_hedges(time_point now) {
    while (!hedges_.empty() && hedges_.top().when <= now) {
        auto due = hedges_.top();
        hedges_.pop();
        auto* call = calls_.find(due.call);
        // Only while its first copy is out: a call waiting to be sent again
        // (a retry, a lost broker) gets its one copy when it goes.
        if (call == nullptr || call->link < 0 || call->copies != 1) {
            continue;
        }
        const int link = send_copy(*call, now, call->link);
        if (link >= 0) {
            call->hedge_link = link;
            call->copies = 2;
            stats_.hedges.fetch_add(1, std::memory_order_relaxed);
        }
    }
}

void engine::drop_copy(pending_call& call, int link) noexcept {
    --call.copies;
    if (link == call.link) {
        call.link = call.hedge_link;  // the copy still out is the one to follow
    }
    call.hedge_link = -1;
}

bool engine::ends_only_this_copy(bus::errc code) noexcept {
    return bus::is_retryable(code) || code == bus::errc::worker_lost ||
           code == bus::errc::unknown_service;
}

}  // namespace skynet::client_detail
