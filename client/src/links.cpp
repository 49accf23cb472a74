// Brokers from the client's side: their sockets, what comes back on them,
// and noticing when one stops answering.
#include <atomic>
#include <cstring>

#include "engine.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::client_detail {

namespace mdp = bus::mdp;

zmq::socket_t engine::connect_dealer(const std::string& endpoint) {
    runtime::socket_options options;  // linger 0: what a dead broker did not take is dropped
    // Sends fail at once while not connected, instead of queueing for a
    // broker that may never come back; the call goes to another broker.
    options.immediate = true;
    auto socket = runtime::connect_dealer(context_, endpoint, options);
    items_dirty_ = true;
    return socket;
}

void engine::reset_socket(broker_link& link) {
    link.socket = connect_dealer(link.endpoint);
    link.monitor = watch_disconnects(*link.socket);
    // Whoever answers on the new connection is asked again.
    link.batching = false;
    link.batch_refused = false;
    link.batch_asked = {};
    link.batch.clear();
    link.batched_calls.clear();
}

zmq::socket_t engine::watch_disconnects(zmq::socket_t& socket) {
    // Numbered per process: clients sharing a context share its inproc names.
    static std::atomic<std::uint64_t> monitors_made{0};
    const auto address =
        "inproc://skynet-client-monitor-" + std::to_string(monitors_made.fetch_add(1));
    const int events = ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
    if (zmq_socket_monitor(socket.handle(), address.c_str(), events) != 0) {
        throw zmq::error_t();
    }
    zmq::socket_t pair(context_, zmq::socket_type::pair);
    pair.connect(address);
    // Its fd is polled, not the socket (rebuild_poll_items), and libzmq
    // signals a pipe's first message only to a reader that has found it
    // empty once: read it now, or the fd would never wake us. Nothing can
    // have come yet (the connection takes a round trip to report anything),
    // and a missed handshake would only delay the batch question a tick.
    bus::frames nothing;
    while (bus::recv_frames(pair, nothing)) {
    }
    return pair;
}

// The connection to a broker broke: the broker forgets our routing id with
// it, so nothing it held for us can come back, and anything we sent that it
// had not read is gone. Waiting for silence would not do: a broker restarted
// on the same endpoint answers our pings, and those calls would hear nothing
// until their deadline.
void engine::on_monitor_event(std::size_t index, time_point now) {
    auto* monitor = &*links_[index].monitor;
    bool disconnected = false;
    bool connected = false;
    while (bus::recv_frames(*monitor, in_)) {  // until empty: its fd is edge-triggered
        std::uint16_t event = 0;
        if (!in_.empty() && in_[0].size() >= sizeof event) {
            std::memcpy(&event, in_[0].data(), sizeof event);
        }
        disconnected = disconnected || event == ZMQ_EVENT_DISCONNECTED;
        connected = connected || event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
    }
    if (disconnected) {
        lose_link(index, now, "connection lost");
    } else if (connected) {
        links_[index].batch_asked = {};
        ask_for_batches(links_[index], now);  // the first thing said on a connection
    }
}

void engine::heard(std::size_t index, time_point now) {
    auto& link = links_[index];
    link.last_heard = now;
    if (!link.up) {
        link.up = true;
        log_->info("broker answering again broker={}", link.endpoint);
    }
}

// Up to 256 messages, or about 4,096 replies (a batch frame holds hundreds),
// so that a flood of replies never keeps the loop from its timers.
void engine::on_link_message(std::size_t index, time_point now) {
    auto& link = links_[index];
    auto* socket = &*link.socket;
    std::size_t records = 0;
    for (int n = 0;
         n < 256 && records < 4096 && socket == &*link.socket && bus::recv_frames(*socket, in_);
         ++n) {
        ++records;
        auto decoded = mdp::decode_at_client(in_);
        if (!decoded) {
            stats_.malformed.fetch_add(1, std::memory_order_relaxed);
            if (malformed_log_.allow(now)) {
                log_->warn("dropped malformed reply broker={} reason=\"{}\"", link.endpoint,
                           decoded.err().detail);
            }
            continue;
        }
        heard(index, now);
        if (decoded->service == bus::batch::service) {
            records += on_batch_answer(index, decoded->body, now);
            continue;
        }
        if (bus::mmi::is_internal(decoded->service)) {
            continue;  // an answer to our ping: hearing it was the point
        }
        auto header = decoded->body.size() == 2
                          ? bus::rpc::decode_reply_header(decoded->body[0])
                          : bus::result<bus::rpc::reply_header>(
                                bus::error{bus::errc::bad_request, "reply is not two frames"});
        if (!header) {
            on_foreign_reply(index, decoded->service, bus::view_of(decoded->body[0]), now);
            continue;
        }
        deliver(index, *header, decoded->body, now);
    }
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

// `header` views frames[0]: the frames move only once it has been read.
void engine::deliver(std::size_t index, const bus::rpc::reply_header& header,
                     std::span<zmq::message_t> frames, time_point now) {
    const auto token = runtime::slot_token::from_hex(header.request_id);
    auto* call = token ? calls_.find(*token) : nullptr;
    if (call == nullptr || call->raw) {
        // Its call has ended (a timeout, or an earlier reply won).
        stats_.late_replies.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (header.code == bus::errc::ok) {
        bus::frames body;
        body.reserve(frames.size());
        for (auto& frame : frames) {
            body.push_back(std::move(frame));
        }
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

void engine::on_raw_message(std::size_t index, time_point now) {
    auto& raw = *raw_sockets_[index];
    if (!bus::recv_frames(raw.socket, in_)) {
        return;
    }
    auto decoded = mdp::decode_at_client(in_);
    if (!decoded) {
        stats_.malformed.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    heard(static_cast<std::size_t>(raw.link), now);
    auto* call = calls_.find(raw.call);
    if (call == nullptr || call->raw_socket != static_cast<int>(index)) {
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

void engine::check_links(time_point now) {
    const auto dead_after = options_.heartbeat * options_.liveness;
    for (std::size_t i = 0; i < links_.size(); ++i) {
        auto& link = links_[i];
        const auto silent = now - link.last_heard;
        if (link.up && silent >= dead_after) {
            lose_link(i, now, "not answering");
            continue;
        }
        ask_for_batches(link, now);
        if (silent >= options_.heartbeat && now - link.last_ping >= options_.heartbeat) {
            // 8/MMI: any broker answers mmi.service; the answer proves it alive.
            link.last_ping = now;
            out_.clear();
            mdp::put_client_header(out_, bus::mmi::service);
            out_.push_back(bus::frame_of("mmi.ping"));  // a name no worker can have
            bus::send_frames(*link.socket, out_, true);
        }
    }
}

// A broker silent past its liveness, or whose connection broke, is dead to
// us. What it held: idempotent
// calls go to another broker, others end in WORKER_LOST (they may have run).
void engine::lose_link(std::size_t index, time_point now, const char* why) {
    auto& link = links_[index];
    unsend(link, now);  // staged this turn, never sent: not lost, just not gone yet
    link.up = false;
    link.refusing_until = {};  // whoever answers on the endpoint next is another broker
    stats_.brokers_lost.fetch_add(1, std::memory_order_relaxed);
    log_->warn("broker {} broker={}", why, link.endpoint);
    reset_socket(link);
    const int lost = static_cast<int>(index);
    calls_.for_each([&](pending_call& call) {
        if (call.link != lost && call.hedge_link != lost) {
            return;
        }
        if (call.copies > 1) {
            drop_copy(call, lost);  // its other copy, on another broker, goes on
            return;
        }
        if (call.raw_socket >= 0) {
            release_raw_socket(call.raw_socket, false);
            call.raw_socket = -1;
        }
        if (call.idempotent) {
            ++call.redispatches;
            call.link = -1;
            call.unsent_since = now;
            call.next_attempt = now;
            unsent_.push_back(call.token());
        } else {
            finish(call, bus::error{bus::errc::worker_lost, "broker stopped answering"});
        }
    });
}

int engine::acquire_raw_socket(int link) {
    for (std::size_t k = 0; k < idle_raw_.size(); ++k) {
        const int index = idle_raw_[k];
        if (raw_sockets_[index]->link == link) {
            idle_raw_.erase(idle_raw_.begin() + static_cast<std::ptrdiff_t>(k));
            return index;
        }
    }
    raw_sockets_.push_back(
        std::make_unique<raw_socket>(raw_socket{connect_dealer(links_[link].endpoint), link, {}}));
    return static_cast<int>(raw_sockets_.size() - 1);
}

void engine::release_raw_socket(int index, bool reusable) {
    auto& raw = *raw_sockets_[index];
    raw.call = {};
    if (!reusable) {
        // A late reply could still arrive on it: start over on a new socket.
        raw.socket = connect_dealer(links_[raw.link].endpoint);
    }
    idle_raw_.push_back(index);
}

}  // namespace skynet::client_detail
