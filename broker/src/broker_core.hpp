#pragma once
// The broker's rules, apart from its socket loop: what each 7/MDP command
// does, how requests meet workers, and what time does to both. Runs on the
// broker's thread only.

#include <spdlog/logger.h>

#include <memory>
#include <vector>

#include "client_table.hpp"
#include "counters.hpp"
#include "inflight_table.hpp"
#include "model.hpp"
#include "outbox.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/bus/batch.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/string_map.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::broker_detail {

class broker_core {
public:
    broker_core(const broker_options& options, zmq::socket_ref router, counters& stats);
    ~broker_core();
    broker_core(const broker_core&) = delete;
    broker_core& operator=(const broker_core&) = delete;

    // One message from the ROUTER: the sender's identity, then its frames.
    // The frames are consumed (moved on or dropped). Records for peers that
    // take batch frames wait for flush().
    void on_message(bus::frames& message, time_point now);
    // Sends the batch frames gathered since the last flush: call it after
    // each burst of messages, so that a burst's records for one peer leave
    // in one frame. Workers that could not take theirs are dropped.
    void flush(time_point now) { flush_batches(now); }
    // The ROUTER was found empty: everything sent to the broker until `now`
    // has been read. Worker silence is judged against it.
    void caught_up(time_point now) noexcept { caught_up_ = now; }
    // Requests and replies handled so far, batch records one by one: how
    // much a burst of messages held.
    std::uint64_t records_handled() const noexcept {
        return stats_.requests.get() + stats_.replies.get();
    }

    // Heartbeats, dead workers, expired and unserved requests. Call it at
    // least every tick_interval().
    void on_tick(time_point now);
    std::chrono::milliseconds tick_interval() const noexcept;

    // Shutdown, in two steps: begin_drain refuses new requests and answers
    // the queued ones with UNAVAILABLE; finish answers what workers still hold
    // and sends every worker DISCONNECT.
    void begin_drain(time_point now);
    std::size_t in_flight() const noexcept { return inflight_.in_use(); }
    void finish(time_point now);

private:
    void handle(bus::frames& message, time_point now);

    // Client side (dispatch.cpp).
    void on_client_request(zmq::message_t& client, bus::mdp::client_message& request,
                           time_point now);
    // The client's bounds (max_clients, max_client_requests): empty if the
    // request is admitted (its share in `ticket`), else why not, counted.
    std::string_view admit(std::string_view client, request_ticket& ticket);
    // The checks every request passes, plain or a batch record: refused with
    // a coded error to its client (and nullptr), or its terms filled in and
    // its service returned.
    service* admit_request(const zmq::message_t& client, std::string_view service_name,
                           std::string_view header, std::size_t size, request_terms& terms,
                           time_point now);
    void route(service& svc, request_terms&& terms, std::span<zmq::message_t> body, time_point now);
    // An error the broker makes for a request: in our envelope to our
    // clients; nothing at all to a plain 7/MDP client (`meta` empty: not our
    // envelope), which has no error replies and could not tell ours from a
    // reply. Its request is dropped and counted, and its own timeout ends it.
    void answer_error(zmq::message_t&& client, std::string_view service,
                      const std::optional<bus::rpc::request_meta>& meta, bus::errc code,
                      std::string_view why);
    // The ready worker next in line for `svc`, setting aside those gone quiet.
    worker_peer* next_ready(service& svc, time_point now);
    // After a request went to `w`: its credit, and its place in line.
    void dispatched_to(worker_peer& w, service& requested);
    // False if the worker turned out unreachable and was removed.
    bool send_to(worker_peer& w, service& requested, request_terms&& terms,
                 std::span<zmq::message_t> body, time_point now);
    // Gives the worker queued requests while it has credit. False if it
    // turned out unreachable and was removed: `w` is gone then.
    [[nodiscard]] bool serve_queued(worker_peer& w, time_point now);
    service* service_named(std::string_view name, time_point now);

    // Batch frames (batches.cpp, docs/design.md).
    void on_client_batch(zmq::message_t& client, bus::mdp::client_message& request, time_point now);
    void on_client_record(const zmq::message_t& client, zmq::message_t& batch,
                          const bus::batch::record& record, time_point now);
    void route_record(service& svc, request_terms&& terms, zmq::message_t& batch,
                      const bus::batch::record& record, time_point now);
    void send_record_to(worker_peer& w, service& requested, request_terms&& terms,
                        zmq::message_t& batch, const bus::batch::record& record, time_point now);
    void on_reply_batch(worker_peer& w, const zmq::message_t& frame, time_point now);
    void forward_reply_record(inflight_request& slot, const bus::batch::record& record);
    // A record's frames as frames of their own, for a queue, a worker that
    // takes no batches, or a client that sent no batch.
    static void materialize(const bus::batch::record& record, bus::frames& out);
    // A held request's record becomes its body (to be re-dispatched or answered).
    static void materialize(inflight_request& slot);
    // Sends the batches this message gathered; workers that could not take
    // theirs are dropped, and what they hold recovered.
    void flush_batches(time_point now);

    // Internal services (mmi.cpp).
    void on_mmi(zmq::message_t& client, bus::mdp::client_message& request, time_point now);
    void on_mmi_credit(zmq::message_t& client, bus::mdp::client_message& request, time_point now);
    void on_mmi_pause(zmq::message_t& client, bus::mdp::client_message& request, bool pause,
                      time_point now);
    void on_mmi_stats(zmq::message_t& client, bus::mdp::client_message& request);

    // Worker side (workers.cpp), one function per command.
    void on_ready(std::string_view identity, std::string_view service_name, time_point now);
    void on_reply(worker_peer& w, bus::mdp::reply& reply, time_point now);
    void on_heartbeat(worker_peer& w, time_point now);
    // Anything from the worker: it is alive until heard + expiry window, and
    // no longer quiet.
    void heard(worker_peer& w, time_point now);
    // If `w` could not take requests before (full, or quiet) and can now: the
    // queue's oldest requests, then the ready lists. `w` may be removed by a
    // failed send; do not use it afterwards.
    void back_in_service(worker_peer& w, bool was_unready, time_point now);
    // True if `w` holds requests and has been silent for two heartbeats.
    bool gone_quiet(const worker_peer& w, time_point now) const noexcept;
    // A worker's answer to `slot` came: the books, before the reply leaves.
    void no_longer_held(worker_peer& w, inflight_request& slot);
    void send_reply(zmq::message_t&& client, std::string_view service,
                    std::span<zmq::message_t> body);
    bool silent_for_sure(time_point since, time_point now) const noexcept;
    void on_disconnect(worker_peer& w, time_point now);
    void on_unknown_peer(std::string_view identity);
    void make_ready(worker_peer& w);
    void make_unready(worker_peer& w);
    void protocol_error(worker_peer& w, std::string_view why, time_point now);
    void remove_worker(worker_peer& w, time_point now);
    void recover(inflight_request& slot, time_point now);
    worker_peer* find_worker(std::string_view identity) noexcept;

    // Time (timers.cpp).
    void call_roll(time_point now);
    bool sweep_due(const service& svc, time_point now) const noexcept;
    void sweep_queues(time_point now);
    void forget_idle_services();
    void report_services();
    void malformed(std::string_view identity, const bus::error& why, time_point now);

    struct pending_credit {
        std::uint32_t credit;
        time_point expires;
        bool batching = false;
    };

    const broker_options options_;
    const std::chrono::milliseconds expiry_window_;
    counters& stats_;
    outbox out_;
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter malformed_log_;

    // Before everything holding requests: their tickets point into it, and
    // give their shares back when destroyed.
    client_table clients_;
    bus::string_map<std::unique_ptr<worker_peer>> workers_;
    bus::string_map<std::unique_ptr<service>> services_;
    bus::string_map<pending_credit> pending_credits_;
    inflight_table inflight_;
    std::vector<service*> waiting_services_;  // services whose queue may be non-empty
    std::vector<worker_peer*> scratch_workers_;
    // Every worker, least recently checked first: each tick checks a slice,
    // so heartbeats and expiry cost the same every tick, not a burst.
    roll_call roll_;
    bus::frames sending_;                   // a queued request on its way to a worker
    bus::frames unbatched_;                 // a batch record made frames of its own
    std::vector<std::string> unreachable_;  // workers whose batch could not be sent
    const std::size_t batch_limit_;         // bytes in one batch frame, ours and our peers'
    std::uint64_t next_sequence_ = 0;
    std::size_t queued_total_ = 0;
    time_point next_forget_{};
    time_point caught_up_{};
    time_point last_tick_{};
    time_point excused_until_{};  // no worker expires before: the broker itself stalled
    bool draining_ = false;
    bool services_changed_ = false;  // for on_services_changed, at the next tick
};

}  // namespace skynet::broker_detail
