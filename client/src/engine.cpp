// A call's life on the loop's driving thread: started, sent (again), its
// outcome decided, ended. The turn of the loop that drives all of it.
#include "engine.hpp"

#include <unistd.h>

#include "skynet/bus/mdp.hpp"
#include "skynet/bus/origin.hpp"
#include "skynet/registry/broker_follower.hpp"
#include "skynet/registry/redis_url.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::client_detail {

namespace mdp = bus::mdp;

namespace {

// How often the loop looks at unsent calls and broker health at most.
constexpr std::chrono::milliseconds unsent_tick{5};

bus::rpc::request_header header_for(const pending_call& call, std::string_view origin,
                                    char (&id)[runtime::slot_token::hex_size], time_point now) {
    bus::rpc::request_header header;
    header.method = call.method;
    header.request_id = call.token().to_hex(id);
    header.origin = origin;
    header.retry = call.redispatches;
    header.idempotent = call.idempotent;
    header.parent = call.parent_id;
    header.traceparent = call.traceparent;
    header.metadata = bus::metadata_view(call.metadata);
    if (call.deadline != time_point::max()) {
        header.timeout_ms = bus::millis_left(call.deadline, now);
    }
    return header;
}

// The registry's URL without credentials, for error details.
std::string registry_name(const std::string& url) {
    auto parsed = registry::parse_redis_url(url);
    return parsed ? parsed->to_string() : std::string("(none)");
}

// Every broker link's socket: a CURVE client when the options hold keys.
runtime::socket_options link_options(const client_options& o) {
    runtime::socket_options s;
    runtime::set_curve_client(s, {o.curve_public_key, o.curve_secret_key, o.broker_key});
    return s;
}

}  // namespace

engine::engine(const client_options& options)
    : options_(options),
      origin_(bus::make_origin(options.name)),
      registry_name_(registry_name(options.redis)),
      log_(runtime::logger_for("client")),
      context_owner_(runtime::context_or_own(options.context)),
      links_(*context_owner_, log_, link_options(options)),
      choice_(links_, options.brokers.empty(), options.region),
      budget_(options.retry_budget, options.retry_refill,
              static_cast<std::uint32_t>(getpid()) ^
                  static_cast<std::uint32_t>(bus::clock::now().time_since_epoch().count())) {
    const auto now = bus::clock::now();
    for (const auto& endpoint : options_.brokers) {
        links_.add(endpoint, now);
    }
    driver_.start(std::min(options_.heartbeat, milliseconds(100)));
}

engine::~engine() {
    driver_.stop();
}

void engine::turn(bool block) {
    wait_for_work(block);
    const auto now = bus::clock::now();
    if (links_.woken()) {
        (void)driver_.on_wake(now);  // the driver tells its thread if stopping
    }
    links_.for_each_ready([&](std::size_t i) { on_link_message(i, now); },
                          [&](std::size_t i) { on_monitor_event(i, now); },
                          [&](int i) { on_raw_message(i, now); });
    driver_.start_deferred(now);
    early_cancels_.clear();  // their calls would have started by now
    calls_.send_waiting(now, [&](pending_call& call) { try_send(call, now); });
    hedger_.send_due(now, [&](runtime::slot_token token) { send_hedge(token, now); });
    calls_.expire(now, [&](pending_call& call) {
        if (call.link < 0) {
            // Never sent (or waiting to be sent again): it did not run.
            finish(call, bus::error{bus::errc::unavailable,
                                    "no broker took the call before its deadline"});
        } else {
            finish(call, bus::error{bus::errc::timeout, "no reply within the deadline"});
        }
    });
    if (now >= next_check_) {
        check_links(now);
        next_check_ = now + std::min(options_.heartbeat, milliseconds(100));
    }
    flush(now);  // what this turn staged, before the next wait
}

void engine::wait_for_work(bool block) {
    const auto now = bus::clock::now();
    if (!block) {
        links_.poll(driver_.poll_item(), now);
        return;
    }
    auto wake_at = next_check_;
    if (calls_.any_deadline()) {
        wake_at = std::min(wake_at, calls_.next_deadline());
    }
    if (!hedger_.empty()) {
        wake_at = std::min(wake_at, hedger_.next());
    }
    if (calls_.any_waiting() || driver_.has_deferred()) {
        wake_at = std::min(wake_at, now + (driver_.has_deferred() ? milliseconds(0) : unsent_tick));
    }
    links_.poll(driver_.poll_item(), wake_at);
}

void engine::end_all(const bus::error& why) {
    calls_.for_each([&](pending_call& call) { finish(call, bus::error(why)); });
}

void engine::start_call(submission&& s, time_point now) {
    if (s.cancel_of != 0) {
        cancel_call(s.cancel_of, now);  // not a call: a handle's cancel
        return;
    }
    if (cancelled_before_start(s)) {
        return;
    }
    auto& call = calls_.open();
    stats_.calls.fetch_add(1, std::memory_order_relaxed);
    stats_.in_flight.fetch_add(1, std::memory_order_relaxed);
    call.raw = s.raw;
    call.idempotent = s.idempotent;
    call.service = std::move(s.service);
    call.method = std::move(s.method);
    call.params = std::move(s.params);
    call.params_borrowed = s.params_borrowed;
    call.raw_body = std::move(s.raw_body);
    call.parent_id = std::move(s.parent_id);
    call.traceparent = std::move(s.traceparent);
    call.call_id = s.call_id;
    call.metadata = std::move(s.metadata);
    call.deadline = s.deadline;
    call.retries_left = s.retries;
    call.wait_for_ready = s.wait_for_ready;
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
    calls_.watch_deadline(call);
    hedger_.arm(call, now);
    try_send(call, now);
}

// One attempt: to the next broker not known dead, round robin; then to the
// others. A broker we are not connected to refuses at once (ZMQ_IMMEDIATE),
// so a call never waits in a queue for a broker that is down.
void engine::try_send(pending_call& call, time_point now, int avoid) {
    const int sent_to = choice_.anyone_serves(call) ? send_copy(call, now, avoid) : -1;
    call.link = sent_to;
    call.hedge_link = -1;
    call.copies = sent_to >= 0 ? 1 : 0;
    track_links(call);
    if (sent_to >= 0) {
        return;
    }
    if (auto why = why_not_sent(call, now)) {
        finish(call, std::move(*why));
        return;
    }
    calls_.wait(call);
}

// Fail fast (gRPC's default): a call that no broker can take ends now,
// not at its deadline, unless it waits for ready. "Cannot take" means
// nothing listens where its brokers were (connections refused); a broker
// only silent, or reconnecting, may answer yet and is waited for within
// the call's deadline, as on a busy machine it often does.
std::optional<bus::error> engine::why_not_sent(const pending_call& call, time_point now) {
    if (call.wait_for_ready) {
        return std::nullopt;  // the deadline ends it
    }
    const bool waited = now - call.unsent_since >= options_.heartbeat * options_.liveness;
    if (discovering() && !directory_loaded()) {
        if (!waited) {
            return std::nullopt;  // the first directory may come yet
        }
        return bus::error{bus::errc::unavailable, "no broker known for '" + call.service +
                                                      "': the registry at " + registry_name_ +
                                                      " has not answered yet"};
    }
    if (!choice_.anyone_serves(call)) {
        if (now - call.unsent_since < options_.unknown_service_wait) {
            return std::nullopt;  // the registry's news may be on its way
        }
        return bus::error{bus::errc::unknown_service, "no broker serves '" + call.service +
                                                          "' (registry at " + registry_name_ +
                                                          ", region " + options_.region + ")"};
    }
    if (choice_.all_unreachable(call)) {
        return bus::error{bus::errc::unavailable, "no broker reachable for '" + call.service +
                                                      "' (tried " + choice_.candidates(call) + ")"};
    }
    return std::nullopt;
}

bool engine::directory_loaded() {
    if (directory_loaded_) {
        return true;
    }
    bool loaded = false;
    {
        std::lock_guard lock(follower_mutex_);
        loaded = follower_ != nullptr && follower_->loaded();
    }
    // Every directory sent before it said so is in our mailbox: loaded here
    // once the loop's next turn has applied it (not now: links may be in
    // use up the stack).
    directory_loaded_ = loaded && !driver_.directory_waiting();
    return directory_loaded_;
}

void engine::follow_registry(const registry::broker_follower* follower) {
    std::lock_guard lock(follower_mutex_);
    follower_ = follower;
}

int engine::send_copy(pending_call& call, time_point now, int avoid) {
    return choice_.offer(call, now, avoid, [&](std::size_t i) {
        const bool sent =
            call.raw ? send_raw(call, static_cast<int>(i)) : send_envelope(call, links_[i], now);
        if (sent) {
            ++call.attempts;
            stats_.attempts.fetch_add(1, std::memory_order_relaxed);
        }
        return sent;
    });
}

bool engine::send_envelope(pending_call& call, broker_link& link, time_point now) {
    char id[runtime::slot_token::hex_size];
    const auto header = header_for(call, origin_, id, now);
    if (!link.out.send(link.socket(), call.service, header, {call.params, call.params_borrowed},
                       call.token())) {
        return false;
    }
    if (link.out.full() && !link.out.flush(link.socket())) {
        unsend(link, now);
    }
    return true;
}

bool engine::send_raw(pending_call& call, int link) {
    const int index = links_.acquire_raw(link);
    out_.clear();
    mdp::put_client_header(out_, call.service);
    for (auto& frame : call.raw_body) {
        out_.emplace_back().copy(frame);  // shares the bytes; kept for another attempt
    }
    if (bus::send_frames(links_.raw(index).socket, out_, true) != bus::send_outcome::sent) {
        links_.release_raw(index, true);
        return false;
    }
    links_.raw(index).call = call.token();
    call.raw_socket = index;
    return true;
}

void engine::send_hedge(runtime::slot_token token, time_point now) {
    auto* call = calls_.find(token);
    // Only while its first copy is out: a call waiting to be sent again
    // (a retry, a lost broker) gets its one copy when it goes.
    if (call == nullptr || call->link < 0 || call->copies != 1) {
        return;
    }
    const int link = send_copy(*call, now, call->link);
    if (link >= 0) {
        call->hedge_link = link;
        call->copies = 2;
        track_links(*call);
        stats_.hedges.fetch_add(1, std::memory_order_relaxed);
    }
}

// Every link's batch leaves; calls of a batch that could not go out are
// sent again (they did not leave).
void engine::flush(time_point now) {
    for (auto& link : links_) {
        if (!link.out.flush(link.socket())) {
            unsend(link, now);  // not connected (any more), or not reading
        }
    }
}

// They go again as if new, to whichever broker takes them first.
void engine::unsend(broker_link& link, time_point now) {
    const int index = static_cast<int>(links_.index_of(link));
    for (auto token : link.out.staged()) {
        auto* call = calls_.find(token);
        if (call == nullptr) {
            continue;
        }
        if (call->hedge_link == index) {
            call->hedge_link = -1;
            call->copies = 1;
        } else if (call->link == index) {
            calls_.send_again(*call, now, now);
        }
        track_links(*call);
    }
    link.out.drop_staged();
}

void engine::on_reply(pending_call& call, int from, call_result&& outcome, time_point now) {
    if (call.copies > 1 && !outcome && hedger::ends_only_this_copy(outcome.code())) {
        hedger::drop_copy(call, from);  // the other copy may still be served
        track_links(call);
        return;
    }
    if (call.raw_socket >= 0) {
        links_.release_raw(call.raw_socket, true);
        call.raw_socket = -1;
    }
    if (outcome.code() == bus::errc::unavailable && choice_.moves_elsewhere(call, from, now)) {
        // The broker did not take it (it is closing, say); another live one
        // may. Moving there costs no retry: nothing ran.
        ++call.moves;
        call.link = -1;
        try_send(call, now, from);
        return;
    }
    if (outcome.code() == bus::errc::unknown_service &&
        choice_.may_serve_elsewhere(call, from, now)) {
        // Sent to a broker that had no worker for it (the registry had not
        // told us of one that has, or it had just restarted); it did not
        // run, so any call may go to the next one.
        ++call.moves;
        call.link = -1;
        try_send(call, now, from);
        return;
    }
    if (!retried(call, from, outcome, now)) {
        finish(call, std::move(outcome));
    }
}

bool engine::retried(pending_call& call, int from, const call_result& outcome, time_point now) {
    if (outcome || !bus::is_retryable(outcome.code()) || call.retries_left <= 0) {
        return false;
    }
    // A refusal that another broker can stand in for (one still restarting,
    // say, while this one drains) multiplies nothing: not charged to the
    // budget, which is there so that retries cannot multiply an outage.
    const bool elsewhere =
        outcome.code() == bus::errc::unavailable && choice_.another_broker_for(call, from, now);
    if (!elsewhere && !budget_.spend()) {
        return false;
    }
    --call.retries_left;
    // Exponential backoff with full jitter, within the deadline.
    calls_.send_again(call, now, now + budget_.backoff(call.attempts));
    track_links(call);
    return true;
}

void engine::finish(pending_call& call, call_result&& outcome) {
    if (call.raw_socket >= 0) {
        // A reply may still come on it: it cannot serve another call.
        links_.release_raw(call.raw_socket, false);
    }
    if (outcome) {
        stats_.replies.fetch_add(1, std::memory_order_relaxed);
        budget_.earn();
    } else {
        stats_.errors.fetch_add(1, std::memory_order_relaxed);
    }
    stats_.in_flight.fetch_sub(1, std::memory_order_relaxed);
    links_.count(call.counted_link, -1);  // out nowhere any more
    links_.count(call.counted_hedge, -1);
    auto done = std::move(call.done);
    calls_.close(call);
    try {
        done(std::move(outcome));
    } catch (const std::exception& e) {
        log_->error("call callback threw error=\"{}\"", e.what());
    }
}

}  // namespace skynet::client_detail
