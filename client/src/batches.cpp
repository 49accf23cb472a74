// Batch frames from the client's side (docs/design.md): asked for on every
// new connection, then the calls of one turn of the loop leave for each
// broker in one frame, and replies may come back the same way.
#include "engine.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::client_detail {

namespace mdp = bus::mdp;
namespace batch = bus::batch;
namespace mmi = bus::mmi;

bool engine::stage_envelope(pending_call& call, broker_link& link, time_point now) {
    char id[runtime::slot_token::hex_size];
    const auto header = header_for(call, id, now);
    const auto header_size = bus::rpc::encoded_size(header);
    if (call.service.size() > batch::max_route ||
        header_size + call.params.size() >= std::min(batch::record_limit, link.batch_limit)) {
        return false;  // a large call travels alone, as frames of its own
    }
    link.batch.begin(call.service, 2);
    bus::rpc::encode_into(header, link.batch.frame_space(header_size));
    link.batch.frame(call.params);
    link.batched_calls.push_back(call.token());
    if (link.batch.size() >= link.batch_limit) {
        flush_batches(now);
    }
    return true;
}

void engine::flush_batches(time_point now) {
    for (auto& link : links_) {
        if (link.batch.empty()) {
            continue;
        }
        out_.clear();
        mdp::put_client_header(out_, batch::service);
        out_.push_back(link.batch.take());
        if (bus::send_frames(*link.socket, out_, true) == bus::send_outcome::sent) {
            link.batched_calls.clear();
        } else {
            unsend(link, now);  // not connected (any more), or not reading
        }
    }
}

// The calls staged for `link` never left: they go again as if new, to
// whichever broker takes them first, this one last.
void engine::unsend(broker_link& link, time_point now) {
    const int index = static_cast<int>(&link - links_.data());
    link.batch.clear();
    for (auto token : link.batched_calls) {
        auto* call = calls_.find(token);
        if (call == nullptr) {
            continue;
        }
        if (call->hedge_link == index) {
            call->hedge_link = -1;
            call->copies = 1;
        } else if (call->link == index) {
            call->link = -1;
            call->unsent_since = now;
            call->next_attempt = now;
            unsent_.push_back(call->token());
        }
    }
    link.batched_calls.clear();
}

void engine::ask_for_batches(broker_link& link, time_point now) {
    if (!options_.batching || link.batching || link.batch_refused ||
        now - link.batch_asked < options_.heartbeat) {
        return;
    }
    out_.clear();
    mmi::put_batch_probe(out_);
    if (bus::send_frames(*link.socket, out_, true) == bus::send_outcome::sent) {
        link.batch_asked = now;  // not connected yet: asked again next tick
    }
}

std::size_t engine::on_batch_answer(std::size_t index, std::span<zmq::message_t> body,
                                    time_point now) {
    auto& link = links_[index];
    if (mmi::status_of(body) == mmi::status::not_implemented) {
        // 8/MMI: a broker that does not know mmi.batch. If we sent it
        // batches, it is not the broker that said yes (a new one on the
        // endpoint, before we saw the connection break): they were dropped
        // unread, and what this link holds is handled as lost, which
        // re-sends what may run again. Then the question is asked anew.
        if (link.batching) {
            lose_link(index, now, "broker no longer takes batches");
            return 0;
        }
        link.batch_refused = true;
        return 0;
    }
    const auto bytes = bus::view_of(body[0]);
    auto count = batch::check(bytes);
    if (!count) {
        stats_.malformed.fetch_add(1, std::memory_order_relaxed);
        if (malformed_log_.allow(now)) {
            log_->warn("dropped malformed batch broker={} reason=\"{}\"", link.endpoint,
                       count.err().detail);
        }
        return 0;
    }
    if (mmi::is_batch_grant(body)) {
        // The answer to our question, with the largest batch it takes.
        auto limit = mmi::decode_batch_grant(body);
        if (limit && !link.batching) {
            link.batching = options_.batching;
            link.batch_limit = std::min(*limit, batch::default_limit);
        }
        return 0;
    }
    batch::reader reader(bytes);
    batch::record record;
    std::size_t records = 0;
    while (reader.next(record)) {
        ++records;
        auto header = record.frame_count == 2
                          ? bus::rpc::decode_reply_header(record.frames[0])
                          : bus::result<bus::rpc::reply_header>(
                                bus::error{bus::errc::bad_request, "reply is not two frames"});
        if (!header) {
            on_foreign_reply(index, record.route, record.frames[0], now);
            continue;
        }
        unbatched_.clear();
        unbatched_.push_back(bus::frame_of(record.frames[0]));
        unbatched_.push_back(bus::frame_of(record.frames[1]));
        deliver(index, *header, unbatched_, now);
    }
    return records;
}

}  // namespace skynet::client_detail
