#include "reply_outbox.hpp"

#include <algorithm>

#include "connection.hpp"
#include "skynet/bus/mdp.hpp"

namespace skynet::worker_detail {

void reply_outbox::reset() noexcept {
    batching_ = false;
    limit_ = bus::batch::default_limit;
    records_.clear();
}

void reply_outbox::agree(std::size_t limit) noexcept {
    batching_ = true;
    limit_ = std::min(limit, bus::batch::default_limit);
}

void reply_outbox::put(reply_route&& route, bus::frames& body, bus::time_point now) {
    // Batched only once the broker's answer told us how large a batch it
    // reads; a batch the broker sends is known by its address, answer or not.
    if (route.batched && batching_ && fits(route, body)) {
        records_.add(bus::view_of(route.address), body);
        body.clear();
        if (records_.size() >= limit_) {
            flush(now);
        }
        return;
    }
    out_.clear();
    bus::mdp::put_reply_header(out_, std::move(route.address));
    for (auto& frame : body) {
        out_.push_back(std::move(frame));
    }
    body.clear();
    to_.send(out_, now);
}

bool reply_outbox::fits(const reply_route& route,
                        std::span<const zmq::message_t> body) const noexcept {
    return !body.empty() && body.size() <= bus::batch::max_record_frames &&
           route.address.size() <= bus::batch::max_route &&
           bus::total_size(body) < std::min(bus::batch::record_limit, limit_);
}

void reply_outbox::flush(bus::time_point now) {
    if (records_.empty() || !to_.open()) {
        records_.clear();
        return;
    }
    out_.clear();
    bus::mdp::put_reply_header(out_, bus::frame_of(bus::batch::service));
    out_.push_back(records_.take());
    to_.send(out_, now);
}

}  // namespace skynet::worker_detail
