#pragma once
// The broker's rules, apart from its socket loop: the thin coordinator of
// one message's handling. It reads each 7/MDP command and has the objects
// that own the broker's state act on it: the client table (admission), the
// service table (queues), the worker pool (ready lists, heartbeats), the
// in-flight table, the mmi responder and the outbox. Runs on the broker's
// thread only.

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <vector>

#include "access_gate.hpp"
#include "client_table.hpp"
#include "counters.hpp"
#include "inflight_table.hpp"
#include "mmi_responder.hpp"
#include "outbox.hpp"
#include "service_snapshot.hpp"
#include "service_table.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/message.hpp"
#include "skynet/runtime/logging.hpp"
#include "worker_pool.hpp"

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
    // in one frame. Workers that could not take theirs are dropped, and
    // what they hold recovered.
    void flush(time_point now);
    // The ROUTER was found empty: everything sent to the broker until `now`
    // has been read. Worker silence is judged against it.
    void caught_up(time_point now) noexcept { workers_.caught_up(now); }
    // Requests and replies handled so far, batch records one by one: how
    // much a burst of messages held.
    std::uint64_t records_handled() const noexcept {
        return stats_.requests.get() + stats_.replies.get();
    }

    // Heartbeats, dead workers, expired and unserved requests. Call it at
    // least every tick_interval().
    void on_tick(time_point now);
    std::chrono::milliseconds tick_interval() const noexcept { return workers_.tick_interval(); }

    // Shutdown, in two steps: begin_drain refuses new requests and answers
    // the queued ones with UNAVAILABLE; finish answers what workers still hold
    // and sends every worker DISCONNECT.
    void begin_drain(time_point now);
    std::size_t in_flight() const noexcept { return inflight_.in_use(); }
    void finish(time_point now);

    // The counters and every service's figures, for a scrape of /metrics.
    broker_snapshot snapshot();

    // New access control (broker::set_access), in force from the next
    // message: workers are checked again at their next message.
    void replace_access(std::shared_ptr<const broker_access> access) {
        access_.replace(std::move(access));
    }

private:
    // One request's path (request_path.cpp): every request, plain or a
    // record of a batch frame, and every reply, the same way.
    void on_client_message(zmq::message_t& client, bus::mdp::client_message& message,
                           time_point now);
    void on_client_request(zmq::message_t& client, bus::message_view& request, time_point now);
    void refuse_unauthorized(const zmq::message_t& client, const bus::message_view& request,
                             time_point now);
    // The checks every request passes: refused with a coded error to its
    // client (and nullptr), or its terms filled in and its service returned.
    service* admit(const zmq::message_t& client, const bus::message_view& request,
                   request_terms& terms, time_point now);
    // The client's bounds (max_clients, max_client_requests): empty if the
    // request is admitted (its share in `ticket`), else why not, counted.
    std::string_view admit_client(std::string_view client, request_ticket& ticket);
    // To the next ready worker, or into the service's queue.
    void route(service& svc, request_terms&& terms, bus::message_view& request, time_point now);
    // The request goes to `w`, which holds it (kept, not copied) until its
    // reply. False if the worker turned out unreachable and was removed.
    bool dispatch(worker_peer& w, service& requested, request_terms&& terms,
                  bus::message_view& request, time_point now);
    // Gives the worker queued requests while it has credit. False if it
    // turned out unreachable and was removed: `w` is gone then.
    [[nodiscard]] bool serve_queued(worker_peer& w, time_point now);
    // A worker's REPLY, plain or a batch frame of replies: each goes on_reply.
    void on_worker_reply(worker_peer& w, bus::mdp::reply& message, time_point now);
    void on_reply(worker_peer& w, bus::message_view& reply, time_point now);
    void send_reply(inflight_request& slot, bus::message_view& reply);
    // A request whose worker is gone: run again, or answered.
    void recover(inflight_request& slot, time_point now);

    // Worker commands and the rest (broker_core.cpp).
    void on_ready(std::string_view identity, std::string_view service_name, time_point now);
    void on_heartbeat(worker_peer& w, time_point now);
    void on_disconnect(worker_peer& w, time_point now);
    void on_unknown_peer(std::string_view identity);
    void on_mmi(zmq::message_t& client, bus::mdp::client_message& request, time_point now);
    void on_mmi_pause(zmq::message_t& client, bus::mdp::client_message& request, bool pause,
                      time_point now);
    // If `w` could not take requests before (full, or quiet) and can now: the
    // queue's oldest requests, then the ready lists. `w` may be removed by a
    // failed send; do not use it afterwards.
    void back_in_service(worker_peer& w, bool was_unready, time_point now);
    // mmi.cancel (request_path.cpp): the client's requests it names are
    // dropped from their queue, or marked cancelled where a worker holds
    // them (and that worker told, if it is ours).
    void on_mmi_cancel(zmq::message_t& client, bus::mdp::client_message& request, time_point now);
    bool cancel_held(std::string_view client, std::string_view request_id);
    // The access rules on a worker's message after READY: false if its key
    // may no longer offer its service (a reload), and it was disconnected.
    bool still_allowed(worker_peer& w, time_point now);
    void protocol_error(worker_peer& w, std::string_view why, time_point now);
    void remove_worker(worker_peer& w, time_point now);
    void malformed(std::string_view identity, const bus::error& why, time_point now);

    const broker_options options_;
    const std::size_t batch_limit_;  // bytes in one batch frame, ours and our peers'
    counters& stats_;
    outbox out_;
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter malformed_log_;

    // Before everything holding requests: their tickets point into it, and
    // give their shares back when destroyed.
    client_table clients_;
    service_table services_;
    worker_pool workers_;
    inflight_table inflight_;
    mmi_responder mmi_;
    access_gate access_;
    // The key name of the message being handled (its User-Id), while
    // access_ enforces; valid during on_message only.
    std::string_view peer_key_;
    bus::frames sending_;                   // a queued request on its way to a worker
    std::vector<std::string> unreachable_;  // workers whose batch could not be sent
    time_point next_forget_{};
    bool draining_ = false;
};

}  // namespace skynet::broker_detail
