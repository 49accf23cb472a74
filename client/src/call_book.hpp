#pragma once
// The calls in flight: their slots (a reply finds its call by request_id in
// O(1)), their deadlines, and those waiting to be sent (again).

#include <vector>

#include "pending_call.hpp"

namespace skynet::client_detail {

class call_book {
public:
    pending_call& open() { return table_.acquire(); }
    pending_call* find(runtime::slot_token token) noexcept { return table_.find(token); }
    // Its slot moves on: a reply naming it is late from now on.
    void close(pending_call& call) { table_.release(call); }
    template <class Fn>
    void for_each(Fn&& fn) {
        table_.for_each(std::forward<Fn>(fn));
    }
    std::size_t in_flight() const noexcept { return table_.in_use(); }

    void watch_deadline(const pending_call& call) {
        deadlines_.push({call.deadline, call.token()});
    }
    bool any_deadline() const noexcept { return !deadlines_.empty(); }
    time_point next_deadline() const noexcept { return deadlines_.top().when; }
    // Calls `end(call)` for each call still running past its deadline.
    template <class End>
    void expire(time_point now, End&& end) {
        while (!deadlines_.empty() && deadlines_.top().when <= now) {
            const auto token = deadlines_.top().call;
            deadlines_.pop();
            if (auto* call = table_.find(token)) {
                end(*call);
            }
        }
    }

    // Waits to be sent: no broker took it now.
    void wait(const pending_call& call) { unsent_.push_back(call.token()); }
    // Goes again from `at` on, as if new: not out anywhere now.
    void send_again(pending_call& call, time_point now, time_point at) {
        call.link = -1;
        call.unsent_since = now;
        call.next_attempt = at;
        unsent_.push_back(call.token());
    }
    bool any_waiting() const noexcept { return !unsent_.empty(); }
    // Calls `send(call)` for each waiting call whose time has come.
    template <class Send>
    void send_waiting(time_point now, Send&& send) {
        if (unsent_.empty()) {
            return;
        }
        std::swap(sending_, unsent_);  // both keep their capacity
        for (auto token : sending_) {
            auto* call = table_.find(token);
            if (call == nullptr || call->link >= 0) {
                continue;  // ended meanwhile
            }
            if (now < call->next_attempt) {
                unsent_.push_back(token);
            } else {
                send(*call);
            }
        }
        sending_.clear();
    }

private:
    call_table table_;
    deadline_heap deadlines_;
    std::vector<runtime::slot_token> unsent_;
    std::vector<runtime::slot_token> sending_;
};

}  // namespace skynet::client_detail
