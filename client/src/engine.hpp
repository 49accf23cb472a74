#pragma once
// The client's engine: the coordinator of one call's life on the loop's
// driving thread. It owns nothing it can hand to a part: the calls in
// flight are the call book's, the brokers and their sockets the link set's,
// what leaves for each broker its outbox's, whose turn it is to drive the
// loop driver's, when second copies go the hedger's. The engine decides
// what happens to a call: where it goes, what a reply means, a retry, a
// move, an end.

#include <spdlog/logger.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "broker_choice.hpp"
#include "call_book.hpp"
#include "hedger.hpp"
#include "link_set.hpp"
#include "loop_driver.hpp"
#include "retry_budget.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/message.hpp"
#include "skynet/client/client.hpp"
#include "skynet/runtime/counter_table.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::registry {
class broker_follower;
}

namespace skynet::client_detail {

// Written by the driving thread (whichever it is), read by any.
struct engine_counters {
    SKYNET_CLIENT_COUNTERS(SKYNET_ATOMIC_COUNTER_CELL)

    client_stats snapshot() const noexcept {
        client_stats s;
        SKYNET_CLIENT_COUNTERS(SKYNET_COUNTER_COPY)
        return s;
    }
};

class engine {
public:
    explicit engine(const client_options& options);
    ~engine();  // ends every call with UNAVAILABLE
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    // Any thread. From the driving thread (a callback), the call starts once
    // the callback has returned.
    void submit(submission&& s) { driver_.submit(std::move(s)); }
    // A synchronous call: any thread but the driving one. It drives the loop
    // itself while no one else does, and returns the call's one outcome.
    call_result call_and_wait(submission&& s) { return driver_.call_and_wait(std::move(s)); }
    // Any thread: the brokers the registry knows now (clients that discover
    // their brokers). Links to brokers not in it take no new calls.
    void set_directory(std::vector<broker_entry> brokers) {
        driver_.set_directory(std::move(brokers));
    }
    // Any thread: the registry's follower, asked whether its first load is
    // done before a call ends UNKNOWN_SERVICE; nullptr before it goes.
    void follow_registry(const registry::broker_follower* follower);
    // True on the thread driving the loop now (in a callback, say).
    bool on_engine_thread() const noexcept { return driver_.on_driving_thread(); }
    client_stats stats() const noexcept { return stats_.snapshot(); }

private:
    // The loop's turns, run by the driver on the driving thread (engine.cpp).
    friend class loop_driver;
    void start_call(submission&& s, time_point now);
    void apply_directory(std::vector<broker_entry>& brokers, time_point now) {
        links_.apply_directory(brokers, now);
    }
    // One turn: waits for sockets and timers (not at all unless `block`),
    // then serves what is ready.
    void turn(bool block);
    // What this turn staged leaves now.
    void flush(time_point now);
    bool calls_in_flight() const noexcept { return calls_.in_flight() > 0; }
    // Ends every call in flight with `why`.
    void end_all(const bus::error& why);
    void wait_for_work(bool block);

    // Attempts (engine.cpp). One attempt: to the best broker that takes it
    // now; else it waits for one, but not for ever.
    void try_send(pending_call& call, time_point now, int avoid = -1);
    // Sends one copy to the best broker that takes it, another than `avoid`
    // if any suits at all; the broker's index, or -1 if none took it.
    int send_copy(pending_call& call, time_point now, int avoid);
    // Why a call no broker took now ends at once, or nothing: it waits.
    std::optional<bus::error> why_not_sent(const pending_call& call, time_point now);
    bool discovering() const noexcept { return options_.brokers.empty(); }
    // True once the registry's first directory is applied here.
    bool directory_loaded();
    bool send_envelope(pending_call& call, broker_link& link, time_point now);
    bool send_raw(pending_call& call, int link);
    void send_hedge(runtime::slot_token token, time_point now);
    // The calls staged in `link`'s batch never left: they go again.
    void unsend(broker_link& link, time_point now);
    // `from`: the broker that answered.
    void on_reply(pending_call& call, int from, call_result&& outcome, time_point now);
    // Retried after UNAVAILABLE or OVERLOADED, if budget and deadline allow.
    bool retried(pending_call& call, int from, const call_result& outcome, time_point now);
    void finish(pending_call& call, call_result&& outcome);
    // Each link's count of calls out on it (broker_link::outstanding, which
    // weighs the choice of broker) follows where `call` is now: run after
    // every change of its link or hedge_link.
    void track_links(pending_call& call) noexcept {
        links_.count(call.counted_link, call.link);
        links_.count(call.counted_hedge, call.hedge_link);
    }

    // Cancellation (call_endings.cpp): a handle's cancel, on the driving thread.
    // The call ends CANCELLED if it has not ended, and the brokers it went
    // to are told (mmi.cancel).
    void cancel_call(std::uint64_t id, time_point now);
    void tell_broker_cancelled(std::size_t link, std::string_view request_id);
    // A cancel taken this turn before its call (a call made from a callback
    // starts at the end of the turn): that call ends at once.
    bool cancelled_before_start(submission& s);

    // What comes back from brokers (call_endings.cpp).
    void on_link_message(std::size_t link, time_point now);
    // The one reply path: a reply however it came (bus::for_each_message).
    void on_reply_message(std::size_t link, bus::message_view& message, time_point now);
    // An mmi.batch answer that is not a batch of replies.
    void on_batch_answer(std::size_t link, std::span<zmq::message_t> body, time_point now);
    // A reply (or a coded error) for the call its header names; the
    // message's frames move (or, for a record, are copied once) into the reply.
    void deliver(std::size_t link, const bus::rpc::reply_header& header, bus::message_view& message,
                 time_point now);
    // A reply on `link` for `service` that is not our envelope (a raw or
    // plain 7/MDP worker answered): its call ends at once with
    // SERVICE_ERROR, if it can be told (docs/design.md); `first` is its
    // first frame, or empty.
    void on_foreign_reply(std::size_t link, std::string_view service, std::string_view first,
                          time_point now);
    // The call such a reply answers: the one an echoed request header names,
    // or the only call for `service` out on `link`; else nullptr.
    pending_call* call_for_foreign_reply(std::size_t link, std::string_view service,
                                         std::string_view first) noexcept;
    void on_raw_message(int index, time_point now);
    void on_malformed(std::size_t link, std::string_view what, const bus::error& e, time_point now);
    void on_monitor_event(std::size_t link, time_point now);
    void check_links(time_point now);
    void lose_link(std::size_t link, time_point now, const char* why);

    const client_options options_;
    const std::string origin_;
    const std::string registry_name_;  // for error details, without credentials
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter malformed_log_;
    engine_counters stats_;
    // Before the sockets (links_), so that they close first.
    std::shared_ptr<zmq::context_t> context_owner_;  // options_.context, or our own
    link_set links_;
    broker_choice choice_;
    call_book calls_;
    hedger hedger_;
    retry_budget budget_;
    bus::frames in_;
    bus::frames out_;          // a raw call's frames
    time_point next_check_{};  // broker health, every tick at least
    // Cancels of this turn that found no call (call_endings.cpp).
    std::vector<std::uint64_t> early_cancels_;
    std::mutex follower_mutex_;
    const registry::broker_follower* follower_ = nullptr;  // guarded by follower_mutex_
    bool directory_loaded_ = false;                        // sticky
    // Last: its thread stops (in ~engine) before anything else goes.
    loop_driver driver_{*this};
};

}  // namespace skynet::client_detail
