#pragma once
// The client's network loop. Whichever thread drives it owns every socket:
// one DEALER per broker for envelope calls, many in flight and matched by
// request_id, and a pool of DEALERs for raw calls, one call each (plain MDP
// has nothing to match by). Other threads hand it calls through a queue; it
// answers through callbacks.
//
// Who drives: a thread waiting in a synchronous call, when no one else is
// driving, runs the loop itself until its call ends, so that a synchronous
// call costs no hand-off to another thread and back (two wake-ups, most of
// its latency on an idle machine). The engine's own thread drives whenever
// calls are in flight and no one else does, and looks at the brokers every
// tick while all is idle.

#include <spdlog/logger.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "pending_call.hpp"
#include "skynet/bus/batch.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/client/client.hpp"
#include "skynet/registry/broker_directory.hpp"
#include "skynet/runtime/counter_table.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/mailbox.hpp"

namespace skynet::client_detail {

// A call as handed over by the calling thread: everything copied, so that
// the caller's buffers may go.
struct submission {
    bool raw = false;
    std::string service;
    std::string method;
    zmq::message_t params;
    bus::frames raw_body;
    time_point deadline;
    bool idempotent = false;
    int retries = 0;
    milliseconds hedge_after{0};
    std::string parent_id;
    std::string traceparent;
    call_callback done;
};

struct broker_link {
    std::string endpoint;
    std::optional<zmq::socket_t> socket;
    // A PAIR receiving the socket's ZMQ_EVENT_DISCONNECTED: a broken
    // connection loses what the broker held for us at once, even if a broker
    // is back on the endpoint before our heartbeats could miss it.
    std::optional<zmq::socket_t> monitor;
    bool up = true;  // not declared dead
    // Until then new attempts go to other brokers first: this one answered
    // UNAVAILABLE (draining, or unable to run a request again), while it
    // still answers pings, so it would stay "up".
    time_point refusing_until{};
    time_point last_heard{};
    time_point last_ping{};
    // From the registry (clients that discover their brokers): where the
    // broker is and what it serves. A broker that left the registry is
    // retired: a last resort while it still answers, and what it holds may
    // still be answered.
    std::string region;
    std::vector<std::string> services;  // sorted
    bool retired = false;
    // Batch frames (docs/design.md), asked for on each new connection: the
    // broker answered that it takes them (and how large), or that it does not.
    bool batching = false;
    bool batch_refused = false;
    time_point batch_asked{};
    std::size_t batch_limit = bus::batch::default_limit;
    // This turn's calls to it, sent at the end of the turn in one frame.
    bus::batch::writer batch;
    std::vector<runtime::slot_token> batched_calls;
};

// A broker as the registry describes it.
using registry::broker_entry;

// How a client ranks the brokers it discovers (directory.cpp).
registry::directory_policy client_directory_policy(const std::string& region);

struct raw_socket {
    zmq::socket_t socket;
    int link = -1;
    runtime::slot_token call;  // of the call using it; none while idle
};

// Written by the driving thread (whichever it is), read by any.
struct engine_counters {
    SKYNET_CLIENT_COUNTERS(SKYNET_ATOMIC_COUNTER_CELL)

    client_stats snapshot() const noexcept {
        client_stats s;
        SKYNET_CLIENT_COUNTERS(SKYNET_COUNTER_COPY)
        return s;
    }
};

using inbox_lock = runtime::mailbox<submission>::lock_type;

class engine {
public:
    explicit engine(const client_options& options);
    ~engine();  // ends every call with UNAVAILABLE
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    // Any thread. From the driving thread (a callback), the call starts once
    // the callback has returned.
    void submit(submission&& s);
    // A synchronous call: any thread but the driving one. It drives the loop
    // itself while no one else does, and returns the call's one outcome.
    call_result call_and_wait(submission&& s);
    // Any thread: the brokers the registry knows now (clients that discover
    // their brokers). Links to brokers not in it take no new calls.
    void set_directory(std::vector<broker_entry> brokers);
    // True on the thread driving the loop now (in a callback, say).
    bool on_engine_thread() const noexcept;
    client_stats stats() const noexcept;

private:
    // Taking turns (driving.cpp).
    void run_background();
    // The engine's thread drives: while calls are in flight and no sync
    // caller wants the loop, blocking in poll; else one look without waiting.
    void drive_in_background();
    void drive_until(const bool& done);
    bool work_in_flight() const noexcept;
    // Leaves the loop to whoever needs it next.
    void hand_back(const inbox_lock& held);

    // One turn of the loop: waits for sockets and timers (not at all unless
    // `block`), then serves what is ready. False once the engine is stopping.
    bool iterate(bool block);
    void wait_for_work(bool block);
    // Starts what other threads handed over. False once the engine is stopping.
    bool take_inbox(time_point now);
    void apply_directory(std::vector<broker_entry>& brokers, time_point now);
    // How well a link suits a call: 0 not at all, higher is better.
    int suitability(const broker_link& link, const pending_call& call) const noexcept;
    // True if a live broker now suits `call` better than the one it went to
    // (one that serves its service, where the last did not).
    bool better_broker_known(const pending_call& call) const noexcept;
    // True if a call answered UNAVAILABLE by broker `from` should move to
    // another broker that suits it and is not refusing (once per broker at
    // most).
    bool moves_elsewhere(const pending_call& call, int from, time_point now) const noexcept;
    // True if a broker other than `from` suits `call` and is not refusing.
    bool another_broker_for(const pending_call& call, int from, time_point now) const noexcept;
    // Up and not refusing: where attempts go first.
    static bool usable(const broker_link& link, time_point now) noexcept {
        return link.up && now >= link.refusing_until;
    }
    void start_deferred(time_point now);
    void close_all();
    void start_call(submission&& s, time_point now);

    // Attempts (calls.cpp).
    void try_send(pending_call& call, time_point now, int avoid = -1);
    // Sends one copy to the best broker that takes it, another than `avoid`
    // if any suits at all; the broker's index, or -1 if none took it.
    int send_copy(pending_call& call, time_point now, int avoid);
    int send_to_rank(pending_call& call, time_point now, int rank, bool live, int avoid,
                     bool to_avoided);
    bool send_envelope(pending_call& call, broker_link& link, time_point now);
    bus::rpc::request_header header_for(const pending_call& call,
                                        char (&id)[runtime::slot_token::hex_size],
                                        time_point now) const;
    bool send_raw(pending_call& call, int link, time_point now);
    // `from`: the broker that answered.
    void on_reply(pending_call& call, int from, call_result&& outcome, time_point now);
    void retry_later(pending_call& call, time_point now);
    void finish(pending_call& call, call_result&& outcome);
    void send_unsent(time_point now);
    void expire(time_point now);

    // Hedged calls (hedges.cpp).
    void arm_hedge(const pending_call& call, time_point now);
    void send_hedges(time_point now);
    // The copy sent to broker `link` ended unserved; the other goes on.
    void drop_copy(pending_call& call, int link) noexcept;
    // Errors that end one copy of a hedged call, not the call: that copy
    // was not served, and the other may be.
    static bool ends_only_this_copy(bus::errc code) noexcept;

    // Batch frames (batches.cpp).
    // Adds the call to the link's batch; false if it does not go in one.
    bool stage_envelope(pending_call& call, broker_link& link, time_point now);
    // Sends every link's batch; calls of a batch that could not go out are
    // sent again (they did not leave).
    void flush_batches(time_point now);
    void unsend(broker_link& link, time_point now);
    void ask_for_batches(broker_link& link, time_point now);
    // The answer to our question, or a batch of replies; how many replies.
    std::size_t on_batch_answer(std::size_t link, std::span<zmq::message_t> body, time_point now);

    // Brokers (links.cpp).
    // A reply (or a coded error) for the call its header names; `frames`
    // (header and result) are moved into the reply.
    void deliver(std::size_t link, const bus::rpc::reply_header& header,
                 std::span<zmq::message_t> frames, time_point now);
    void on_link_message(std::size_t link, time_point now);
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
    void on_raw_message(std::size_t index, time_point now);
    void check_links(time_point now);
    void on_monitor_event(std::size_t link, time_point now);
    void lose_link(std::size_t link, time_point now, const char* why);
    zmq::socket_t connect_dealer(const std::string& endpoint);
    zmq::socket_t watch_disconnects(zmq::socket_t& socket);
    void reset_socket(broker_link& link);
    int acquire_raw_socket(int link);
    void release_raw_socket(int index, bool reusable);
    void heard(std::size_t link, time_point now);
    void rebuild_poll_items();

    const client_options options_;
    const std::string origin_;
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter malformed_log_;
    engine_counters stats_;
    // Before the sockets (links_), so that they close first.
    std::shared_ptr<zmq::context_t> context_owner_;  // options_.context, or our own
    zmq::context_t& context_;
    std::vector<broker_link> links_;
    std::vector<std::unique_ptr<raw_socket>> raw_sockets_;
    std::vector<int> idle_raw_;
    call_table calls_;
    deadline_heap deadlines_;
    deadline_heap hedges_;  // when hedged calls send their second copy
    std::vector<runtime::slot_token> unsent_;
    std::vector<zmq_pollitem_t> items_;
    bool items_dirty_ = true;
    // Links when items_ was built: [wake, link sockets, link monitors, raw sockets].
    std::size_t polled_links_ = 0;
    bus::frames in_;
    bus::frames out_;
    bus::frames unbatched_;  // a reply record as frames of its own
    std::size_t next_link_ = 0;
    time_point next_check_{};  // broker health, every tick at least
    double retry_tokens_ = 10;
    std::minstd_rand jitter_;

    // Handed over from other threads, and whose turn it is to drive: the
    // fields marked "guarded" are guarded by the inbox's lock, so that a
    // submission and the turn it wakes are one decision. Its fd, readable
    // when a submission or a directory waits, wakes a driver blocked in poll.
    runtime::mailbox<submission> inbox_{"client"};
    std::vector<submission> taken_;
    std::vector<submission> deferred_;  // submitted by callbacks, driving thread only
    std::vector<submission> starting_;  // the batch of deferred_ being started
    bool stopping_ = false;             // guarded
    std::optional<std::vector<broker_entry>> directory_;  // guarded
    bool driving_ = false;                                // guarded: someone runs the loop
    // Guarded: a synchronous caller left calls in flight behind,
    // for the engine's thread to drive.
    bool handed_back_ = false;
    int turn_waiters_ = 0;                // guarded
    std::condition_variable turn_;        // for synchronous callers
    std::condition_variable background_;  // for the engine's thread
    const bool discovering_;              // no fixed brokers: they come from the registry
    // How discovered brokers rank (registry/broker_directory.hpp): our region
    // first, then the others; one gone from the registry is a last resort.
    const registry::directory_policy policy_;
    std::thread thread_;
};

}  // namespace skynet::client_detail
