// A call's life on the engine thread: attempts, replies, retries, deadlines.
#include "engine.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet::client_detail {

namespace mdp = bus::mdp;

namespace {
constexpr milliseconds backoff_base{10};
constexpr milliseconds backoff_cap{1000};
constexpr double retry_tokens_max = 10;
constexpr double retry_token_per_success = 0.1;
}  // namespace

void engine::start_call(submission&& s, time_point now) {
    auto& call = calls_.acquire();
    stats_.calls.fetch_add(1, std::memory_order_relaxed);
    stats_.in_flight.fetch_add(1, std::memory_order_relaxed);
    call.raw = s.raw;
    call.idempotent = s.idempotent;
    call.service = std::move(s.service);
    call.method = std::move(s.method);
    call.params = std::move(s.params);
    call.raw_body = std::move(s.raw_body);
    call.parent_id = std::move(s.parent_id);
    call.traceparent = std::move(s.traceparent);
    call.deadline = s.deadline;
    call.retries_left = s.retries;
    call.hedge_after = call.idempotent && !call.raw ? s.hedge_after : milliseconds(0);
    call.done = std::move(s.done);
    call.unsent_since = now;
    call.next_attempt = now;
    if (call.deadline <= now) {
        finish(call, bus::error{bus::errc::timeout, "deadline passed before the call started"});
        return;
    }
    const auto size = call.raw ? bus::total_size(call.raw_body) : call.params.size();
    if (size > options_.max_message_size) {
        finish(call, bus::error{bus::errc::bad_request,
                                "request exceeds the client's maximum message size"});
        return;
    }
    deadlines_.push({call.deadline, call.token()});
    arm_hedge(call, now);
    try_send(call, now);
}

// One attempt: to the next broker not known dead, round robin; then to the
// others. A broker we are not connected to refuses at once (ZMQ_IMMEDIATE),
// so a call never waits in a queue for a broker that is down.
void engine::try_send(pending_call& call, time_point now, int avoid) {
    const int sent_to = send_copy(call, now, avoid);
    call.link = sent_to;
    call.hedge_link = -1;
    call.copies = sent_to >= 0 ? 1 : 0;
    if (sent_to >= 0) {
        return;
    }
    // No broker could take it now; it waits for one, but not for ever.
    if (now - call.unsent_since >= options_.heartbeat * options_.liveness) {
        finish(call, bus::error{bus::errc::unavailable, "no broker reachable"});
        return;
    }
    unsent_.push_back(call.token());
}

int engine::send_copy(pending_call& call, time_point now, int avoid) {
    // Every other broker before `avoid`; the best-suited first; among equals,
    // usable ones (live, not refusing) before the others, round robin.
    for (const bool to_avoided : {false, true}) {
        for (int rank = discovering_ ? 3 : 1; rank >= 1; --rank) {
            for (const bool usable_ones : {true, false}) {
                if (int sent = send_to_rank(call, now, rank, usable_ones, avoid, to_avoided);
                    sent >= 0) {
                    return sent;
                }
            }
        }
        if (avoid < 0) {
            break;
        }
    }
    return -1;
}

int engine::send_to_rank(pending_call& call, time_point now, int rank, bool usable_ones, int avoid,
                         bool to_avoided) {
    const auto n = links_.size();
    for (std::size_t k = 0; k < n; ++k) {
        const auto i = (next_link_ + k) % n;
        if (usable(links_[i], now) != usable_ones || (static_cast<int>(i) == avoid) != to_avoided ||
            suitability(links_[i], call) != rank) {
            continue;
        }
        const bool sent = call.raw ? send_raw(call, static_cast<int>(i), now)
                                   : send_envelope(call, links_[i], now);
        if (sent) {
            next_link_ = i + 1;
            ++call.attempts;
            stats_.attempts.fetch_add(1, std::memory_order_relaxed);
            return static_cast<int>(i);
        }
    }
    return -1;
}

bus::rpc::request_header engine::header_for(const pending_call& call,
                                            char (&id)[runtime::slot_token::hex_size],
                                            time_point now) const {
    bus::rpc::request_header header;
    header.method = call.method;
    header.request_id = call.token().to_hex(id);
    header.origin = origin_;
    header.retry = call.redispatches;
    header.idempotent = call.idempotent;
    header.parent = call.parent_id;
    header.traceparent = call.traceparent;
    if (call.deadline != time_point::max()) {
        header.timeout_ms = bus::millis_left(call.deadline, now);
    }
    return header;
}

bool engine::send_envelope(pending_call& call, broker_link& link, time_point now) {
    if (link.batching && stage_envelope(call, link, now)) {
        return true;  // leaves at the end of this turn, with the others
    }
    char id[runtime::slot_token::hex_size];
    const auto header = header_for(call, id, now);
    out_.clear();
    mdp::put_client_header(out_, call.service);
    out_.push_back(bus::rpc::encode_request_header(header));
    out_.emplace_back().copy(call.params);  // shares the bytes; kept for another attempt
    return bus::send_frames(*link.socket, out_, true) == bus::send_outcome::sent;
}

bool engine::send_raw(pending_call& call, int link, time_point now) {
    (void)now;
    const int index = acquire_raw_socket(link);
    out_.clear();
    mdp::put_client_header(out_, call.service);
    for (auto& frame : call.raw_body) {
        out_.emplace_back().copy(frame);
    }
    if (bus::send_frames(raw_sockets_[index]->socket, out_, true) != bus::send_outcome::sent) {
        release_raw_socket(index, true);
        return false;
    }
    raw_sockets_[index]->call = call.token();
    call.raw_socket = index;
    return true;
}

void engine::on_reply(pending_call& call, int from, call_result&& outcome, time_point now) {
    if (call.copies > 1 && !outcome && ends_only_this_copy(outcome.code())) {
        drop_copy(call, from);  // the other copy may still be served
        return;
    }
    if (call.raw_socket >= 0) {
        release_raw_socket(call.raw_socket, true);
        call.raw_socket = -1;
    }
    if (outcome.code() == bus::errc::unavailable && moves_elsewhere(call, from, now)) {
        // The broker did not take it (it is closing, say); another live one
        // may. Moving there costs no retry: nothing ran.
        ++call.moves;
        call.link = -1;
        try_send(call, now, from);
        return;
    }
    if (outcome.code() == bus::errc::unknown_service && better_broker_known(call)) {
        // Sent to a broker that did not serve it (the registry had not told
        // us of one that does yet); it did not run. Now we know better.
        call.link = -1;
        try_send(call, now);
        return;
    }
    // A refusal that another broker can stand in for (one still restarting,
    // say, while this one drains) multiplies nothing: not charged to the
    // budget, which is there so that retries cannot multiply an outage.
    const bool elsewhere =
        outcome.code() == bus::errc::unavailable && another_broker_for(call, from, now);
    if (!outcome && bus::is_retryable(outcome.code()) && call.retries_left > 0 &&
        (elsewhere || retry_tokens_ >= 1)) {
        if (!elsewhere) {
            retry_tokens_ -= 1;
        }
        --call.retries_left;
        retry_later(call, now);
        return;
    }
    finish(call, std::move(outcome));
}

void engine::retry_later(pending_call& call, time_point now) {
    // Exponential backoff with full jitter, within the deadline.
    auto ceiling = std::min(backoff_cap, backoff_base * (1 << std::min(call.attempts, 7)));
    std::uniform_int_distribution<std::int64_t> pick(0, ceiling.count());
    call.link = -1;
    call.unsent_since = now;
    call.next_attempt = now + milliseconds(pick(jitter_));
    unsent_.push_back(call.token());
}

void engine::finish(pending_call& call, call_result&& outcome) {
    if (call.raw_socket >= 0) {
        // A reply may still come on it: it cannot serve another call.
        release_raw_socket(call.raw_socket, false);
    }
    if (outcome) {
        stats_.replies.fetch_add(1, std::memory_order_relaxed);
        retry_tokens_ = std::min(retry_tokens_max, retry_tokens_ + retry_token_per_success);
    } else {
        stats_.errors.fetch_add(1, std::memory_order_relaxed);
    }
    stats_.in_flight.fetch_sub(1, std::memory_order_relaxed);
    auto done = std::move(call.done);
    calls_.release(call);
    try {
        done(std::move(outcome));
    } catch (const std::exception& e) {
        log_->error("call callback threw error=\"{}\"", e.what());
    }
}

void engine::send_unsent(time_point now) {
    if (unsent_.empty()) {
        return;
    }
    auto waiting = std::move(unsent_);
    unsent_.clear();
    for (auto token : waiting) {
        auto* call = calls_.find(token);
        if (call == nullptr || call->link >= 0) {
            continue;  // ended meanwhile
        }
        if (now < call->next_attempt) {
            unsent_.push_back(token);
        } else {
            try_send(*call, now);
        }
    }
}

void engine::expire(time_point now) {
    while (!deadlines_.empty() && deadlines_.top().when <= now) {
        auto due = deadlines_.top();
        deadlines_.pop();
        if (auto* call = calls_.find(due.call)) {
            if (call->link < 0) {
                // Never sent (or waiting to be sent again): it did not run.
                finish(*call, bus::error{bus::errc::unavailable,
                                         "no broker took the call before its deadline"});
            } else {
                finish(*call, bus::error{bus::errc::timeout, "no reply within the deadline"});
            }
        }
    }
}

}  // namespace skynet::client_detail
