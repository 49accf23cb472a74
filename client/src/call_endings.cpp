// How calls end on the driving thread. What comes back from brokers: one
// path for every reply however it came, alone or as a record of a batch
// frame (bus::for_each_message), to its call, or, if it is not our
// envelope, ending the call it answers; what their silence or a broken
// connection means for the calls they hold; and cancels (cancel_gate.cpp
// brings them here). Cancels are rare: the call is found by scanning the
// calls in flight, and nothing is added to a call's own path but its id.
#include <algorithm>

#include "engine.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::client_detail {

namespace mdp = bus::mdp;
namespace mmi = bus::mmi;

// Up to 256 messages, or about 4,096 replies (a batch frame holds hundreds),
// so that a flood of replies never keeps the loop from its timers.
void engine::on_link_message(std::size_t index, time_point now) {
    auto& link = links_[index];
    auto* socket = &link.socket();
    std::size_t records = 0;
    for (int n = 0;
         n < 256 && records < 4096 && socket == &link.socket() && bus::recv_frames(*socket, in_);
         ++n) {
        ++records;
        auto decoded = mdp::decode_at_client(in_);
        if (!decoded) {
            on_malformed(index, "reply", decoded.err(), now);
            continue;
        }
        links_.heard(index, now);
        const bool batch = decoded->service == bus::batch::service;
        if (batch && (mmi::status_of(decoded->body) == mmi::status::not_implemented ||
                      mmi::is_batch_grant(decoded->body))) {
            on_batch_answer(index, decoded->body, now);
            continue;
        }
        if (!batch && mmi::is_internal(decoded->service)) {
            continue;  // an answer to our ping: hearing it was the point
        }
        auto handed = bus::for_each_message(decoded->service, decoded->body, batch,
                                            [&](bus::message_view& message) {
                                                on_reply_message(index, message, now);
                                                return true;
                                            });
        if (!handed) {
            on_malformed(index, "batch", handed.err(), now);
        } else if (batch) {
            records += *handed;
        }
    }
}

void engine::on_batch_answer(std::size_t index, std::span<zmq::message_t> body, time_point now) {
    if (links_[index].out.on_answer(body, options_.batching) == outbox::answer::lost) {
        // What this link holds is handled as lost, which re-sends what may
        // run again; the new connection asks anew.
        lose_link(index, now, "broker no longer takes batches");
    }
}

void engine::on_reply_message(std::size_t index, bus::message_view& message, time_point now) {
    auto header = message.size() == 2 ? bus::rpc::decode_reply_header(message[0])
                                      : bus::result<bus::rpc::reply_header>(bus::error{
                                            bus::errc::bad_request, "reply is not two frames"});
    if (!header) {
        on_foreign_reply(index, message.route(), message.size() > 0 ? message[0] : "", now);
        return;
    }
    deliver(index, *header, message, now);
}

void engine::on_malformed(std::size_t index, std::string_view what, const bus::error& e,
                          time_point now) {
    stats_.malformed.fetch_add(1, std::memory_order_relaxed);
    if (malformed_log_.allow(now)) {
        log_->warn("dropped malformed {} broker={} reason=\"{}\"", what, links_[index].endpoint,
                   e.detail);
    }
}

// `header` views the message's first frame: the frames move only once it
// has been read.
void engine::deliver(std::size_t index, const bus::rpc::reply_header& header,
                     bus::message_view& message, time_point now) {
    const auto token = runtime::slot_token::from_hex(header.request_id);
    auto* call = token ? calls_.find(*token) : nullptr;
    if (call == nullptr || call->raw) {
        // Its call has ended (a timeout, or an earlier reply won).
        stats_.late_replies.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (header.code == bus::errc::ok) {
        // The reply's one copy, for a record; a plain reply's frames move.
        bus::frames body;
        body.reserve(message.size());
        message.take_all(body);
        on_reply(*call, static_cast<int>(index), reply(std::move(body)), now);
        return;
    }
    if (header.code == bus::errc::unavailable) {
        // Draining, say, while it still answers pings (so still up): new
        // attempts go to other brokers first for a while.
        links_[index].refusing_until = now + options_.heartbeat * options_.liveness;
    }
    on_reply(*call, static_cast<int>(index), bus::error{header.code, std::string(header.error)},
             now);
}

void engine::on_foreign_reply(std::size_t index, std::string_view service, std::string_view first,
                              time_point now) {
    stats_.malformed.fetch_add(1, std::memory_order_relaxed);
    auto* call = call_for_foreign_reply(index, service, first);
    if (malformed_log_.allow(now)) {
        log_->warn(
            "reply is not our envelope, a raw or plain worker's? service={} broker={} "
            "call_ended={} suppressed={}",
            service, links_[index].endpoint, call != nullptr, malformed_log_.suppressed());
    }
    if (call != nullptr) {
        on_reply(*call, static_cast<int>(index),
                 bus::error{bus::errc::service_error,
                            "the service answered with frames that are not our reply envelope "
                            "(a raw or plain 7/MDP worker?)"},
                 now);
    }
}

pending_call* engine::call_for_foreign_reply(std::size_t index, std::string_view service,
                                             std::string_view first) noexcept {
    const int link = static_cast<int>(index);
    auto out_there = [&](const pending_call& c) {
        return c.in_use() && !c.raw && (c.link == link || c.hedge_link == link);
    };
    if (auto meta = bus::rpc::peek_request(first)) {  // our request, echoed
        const auto token = runtime::slot_token::from_hex(meta->request_id);
        auto* call = token ? calls_.find(*token) : nullptr;
        return call != nullptr && out_there(*call) ? call : nullptr;
    }
    // 7/MDP replies name only their service: if two calls for it are out,
    // guessing could end the wrong one.
    pending_call* only = nullptr;
    bool several = false;
    calls_.for_each([&](pending_call& c) {
        if (out_there(c) && c.service == service) {
            several = several || only != nullptr;
            only = &c;
        }
    });
    return several ? nullptr : only;
}

void engine::on_raw_message(int index, time_point now) {
    auto& raw = links_.raw(index);
    if (!bus::recv_frames(raw.socket, in_)) {
        return;
    }
    auto decoded = mdp::decode_at_client(in_);
    if (!decoded) {
        stats_.malformed.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    links_.heard(static_cast<std::size_t>(raw.link), now);
    auto* call = calls_.find(raw.call);
    if (call == nullptr || call->raw_socket != index) {
        stats_.late_replies.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    bus::frames body;
    for (auto& frame : decoded->body) {
        body.push_back(std::move(frame));
    }
    // Brokers before docs/design.md's plain-client rule answered a raw
    // call's failures in our envelope (ours now say nothing, as 7/MDP does,
    // and the call ends at its deadline); anything else is the plain
    // worker's reply, passed on as it came.
    if (body.size() == 2) {
        auto header = bus::rpc::decode_reply_header(body[0]);
        if (header && header->code != bus::errc::ok && header->request_id.empty()) {
            on_reply(*call, raw.link, bus::error{header->code, std::string(header->error)}, now);
            return;
        }
    }
    on_reply(*call, raw.link, reply(std::move(body)), now);
}

// The connection to a broker broke: the broker forgets our routing id with
// it, so nothing it held for us can come back, and anything we sent that it
// had not read is gone. Waiting for silence would not do: a broker restarted
// on the same endpoint answers our pings, and those calls would hear nothing
// until their deadline.
void engine::on_monitor_event(std::size_t index, time_point now) {
    const auto event = links_.read_monitor(index);
    if (event == link_set::connection::lost) {
        lose_link(index, now, "connection lost");
    } else if (event == link_set::connection::refused) {
        // Nothing listens there: the broker is lost now, not after its
        // liveness, so that calls fail fast (or wait, if they asked to).
        if (links_[index].up) {
            lose_link(index, now, "connection refused");
        }
        links_[index].unreachable = true;
    } else if (event == link_set::connection::made) {
        // The first thing said on a connection.
        auto& link = links_[index];
        link.unreachable = false;
        link.out.ask_again();
        link.out.ask(link.socket(), now, options_.heartbeat, options_.batching);
    }
}

void engine::check_links(time_point now) {
    const auto dead_after = options_.heartbeat * options_.liveness;
    for (std::size_t i = 0; i < links_.size(); ++i) {
        auto& link = links_[i];
        const auto silent = now - link.last_heard;
        if (link.up && silent >= dead_after) {
            lose_link(i, now, "not answering");
            continue;
        }
        link.out.ask(link.socket(), now, options_.heartbeat, options_.batching);
        if (silent >= options_.heartbeat && now - link.last_ping >= options_.heartbeat) {
            // 8/MMI: any broker answers mmi.service; the answer proves it alive.
            link.last_ping = now;
            link.out.ping(link.socket());
        }
    }
}

// A broker silent past its liveness, or whose connection broke, is dead to
// us. What it held: idempotent calls go to another broker, others end in
// WORKER_LOST (they may have run).
void engine::lose_link(std::size_t index, time_point now, const char* why) {
    auto& link = links_[index];
    unsend(link, now);  // staged this turn, never sent: not lost, just not gone yet
    link.up = false;
    link.refusing_until = {};  // whoever answers on the endpoint next is another broker
    stats_.brokers_lost.fetch_add(1, std::memory_order_relaxed);
    log_->warn("broker {} broker={}", why, link.endpoint);
    links_.reconnect(link);
    const int lost = static_cast<int>(index);
    calls_.for_each([&](pending_call& call) {
        if (call.link != lost && call.hedge_link != lost) {
            return;
        }
        if (call.copies > 1) {
            hedger::drop_copy(call, lost);  // its other copy, on another broker, goes on
            track_links(call);
            return;
        }
        if (call.raw_socket >= 0) {
            links_.release_raw(call.raw_socket, false);
            call.raw_socket = -1;
        }
        if (call.idempotent) {
            ++call.redispatches;
            calls_.send_again(call, now, now);
            track_links(call);
        } else {
            finish(call, bus::error{bus::errc::worker_lost, "broker stopped answering"});
        }
    });
}

void engine::cancel_call(std::uint64_t id, time_point now) {
    (void)now;
    pending_call* found = nullptr;
    calls_.for_each([&](pending_call& call) {
        if (call.call_id == id) {
            found = &call;
        }
    });
    if (found == nullptr) {
        early_cancels_.push_back(id);  // ended already, or starts later this turn
        return;
    }
    auto& call = *found;
    if (!call.raw) {
        char hex[runtime::slot_token::hex_size];
        const auto request_id = call.token().to_hex(hex);
        for (int link : {call.link, call.hedge_link}) {
            if (link >= 0) {
                tell_broker_cancelled(static_cast<std::size_t>(link), request_id);
            }
        }
    }
    finish(call, bus::error{bus::errc::cancelled, "cancelled by the caller"});
}

// The request may still be staged in this link's batch: it leaves first, so
// that the broker knows it when the cancel comes. A broker that does not
// know mmi.cancel answers 501, which the reply path ignores like any mmi.*
// answer; so do ours ("200", "404").
void engine::tell_broker_cancelled(std::size_t index, std::string_view request_id) {
    auto& link = links_[index];
    if (!link.out.flush(link.socket())) {
        unsend(link, bus::clock::now());
    }
    out_.clear();
    bus::mmi::put_cancel_request(out_, request_id);
    (void)bus::send_frames(link.socket(), out_, true);  // lost: the handler runs on, that is all
    out_.clear();
}

bool engine::cancelled_before_start(submission& s) {
    if (early_cancels_.empty() || s.call_id == 0) {
        return false;
    }
    const auto it = std::find(early_cancels_.begin(), early_cancels_.end(), s.call_id);
    if (it == early_cancels_.end()) {
        return false;
    }
    early_cancels_.erase(it);
    stats_.calls.fetch_add(1, std::memory_order_relaxed);
    stats_.errors.fetch_add(1, std::memory_order_relaxed);
    auto done = std::move(s.done);
    try {
        done(bus::error{bus::errc::cancelled, "cancelled by the caller before it started"});
    } catch (const std::exception& e) {
        log_->error("call callback threw error=\"{}\"", e.what());
    }
    return true;
}

}  // namespace skynet::client_detail
