// A broker's outbox (outbox.hpp): records into its batch, or plain frames.
#include "outbox.hpp"

#include <algorithm>

#include "skynet/bus/mdp.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::client_detail {

namespace batch = bus::batch;
namespace mmi = bus::mmi;

void outbox::reset() noexcept {
    batching_ = false;
    refused_ = false;
    asked_ = {};
    limit_ = batch::default_limit;
    drop_staged();
}

bool outbox::send(zmq::socket_t& socket, std::string_view service,
                  const bus::rpc::request_header& header, params_ref params,
                  runtime::slot_token token) {
    const auto header_size = bus::rpc::encoded_size(header);
    if (!batching_ || service.size() > batch::max_route ||
        header_size + params.frame.size() >= std::min(batch::record_limit, limit_)) {
        return send_plain(socket, service, header, params);  // a large call travels alone
    }
    batch_.begin(service, 2);
    bus::rpc::encode_into(header, batch_.frame_space(header_size));
    batch_.frame(params.frame);  // the request's one copy in the batch
    staged_.push_back(token);
    return true;  // leaves at the end of this turn, with the others
}

bool outbox::send_plain(zmq::socket_t& socket, std::string_view service,
                        const bus::rpc::request_header& header, params_ref params) {
    out_.clear();
    bus::mdp::put_client_header(out_, service);
    out_.push_back(bus::rpc::encode_request_header(header));
    if (params.borrowed) {
        // ZeroMQ may hold a frame past the call's end: the caller's bytes
        // would be gone by then.
        out_.emplace_back(params.frame.data(), params.frame.size());
    } else {
        out_.emplace_back().copy(params.frame);  // shares the bytes; kept for another attempt
    }
    return bus::send_frames(socket, out_, true) == bus::send_outcome::sent;
}

bool outbox::flush(zmq::socket_t& socket) {
    if (batch_.empty()) {
        return true;
    }
    out_.clear();
    bus::mdp::put_client_header(out_, batch::service);
    out_.push_back(batch_.take());
    if (bus::send_frames(socket, out_, true) != bus::send_outcome::sent) {
        return false;  // not connected (any more), or not reading
    }
    staged_.clear();
    return true;
}

void outbox::drop_staged() noexcept {
    batch_.clear();
    staged_.clear();
}

void outbox::ask(zmq::socket_t& socket, bus::time_point now, bus::milliseconds every, bool wanted) {
    if (!wanted || batching_ || refused_ || now - asked_ < every) {
        return;
    }
    out_.clear();
    mmi::put_batch_probe(out_);
    if (bus::send_frames(socket, out_, true) == bus::send_outcome::sent) {
        asked_ = now;  // not connected yet: asked again next tick
    }
}

outbox::answer outbox::on_answer(std::span<const zmq::message_t> body, bool wanted) {
    if (mmi::status_of(body) == mmi::status::not_implemented) {
        // 8/MMI: a broker that does not know mmi.batch. If we sent it
        // batches, it is not the broker that said yes (a new one on the
        // endpoint, before we saw the connection break): they were dropped
        // unread. Then the question is asked anew, on a new connection.
        if (batching_) {
            return answer::lost;
        }
        refused_ = true;
        return answer::refused;
    }
    // The answer to our question, with the largest batch it takes.
    auto limit = mmi::decode_batch_grant(body);
    if (!limit) {
        return answer::malformed;
    }
    if (!batching_) {
        batching_ = wanted;
        limit_ = std::min(*limit, batch::default_limit);
    }
    return answer::granted;
}

void outbox::ping(zmq::socket_t& socket) {
    out_.clear();
    bus::mdp::put_client_header(out_, mmi::service);
    out_.push_back(bus::frame_of("mmi.ping"));  // a name no worker can have
    bus::send_frames(socket, out_, true);
}

}  // namespace skynet::client_detail
