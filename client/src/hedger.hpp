#pragma once
// Hedged calls: a second copy of an idempotent call that has had no reply
// for a while, so that one slow or stuck worker or broker does not make the
// caller wait for its deadline. The first reply wins. The hedger keeps when
// each hedged call's second copy is due.

#include "pending_call.hpp"
#include "skynet/bus/errc.hpp"

namespace skynet::client_detail {

class hedger {
public:
    void arm(const pending_call& call, time_point now) {
        if (call.hedge_after.count() > 0 && now + call.hedge_after < call.deadline) {
            due_.push({now + call.hedge_after, call.token()});
        }
    }
    bool empty() const noexcept { return due_.empty(); }
    time_point next() const noexcept { return due_.top().when; }
    // Calls `send(token)` for each call whose second copy is due by `now`.
    template <class Send>
    void send_due(time_point now, Send&& send) {
        while (!due_.empty() && due_.top().when <= now) {
            const auto token = due_.top().call;
            due_.pop();
            send(token);
        }
    }

    // The copy sent to broker `link` ended unserved; the other goes on.
    static void drop_copy(pending_call& call, int link) noexcept {
        --call.copies;
        if (link == call.link) {
            call.link = call.hedge_link;  // the copy still out is the one to follow
        }
        call.hedge_link = -1;
    }
    // Errors that end one copy of a hedged call, not the call: that copy
    // was not served, and the other may be.
    static bool ends_only_this_copy(bus::errc code) noexcept {
        return bus::is_retryable(code) || code == bus::errc::worker_lost ||
               code == bus::errc::unknown_service;
    }

private:
    deadline_heap due_;
};

}  // namespace skynet::client_detail
