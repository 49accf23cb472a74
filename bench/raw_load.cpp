// Raw callers for the relay and for any 7/MDP broker: the load side of the
// baseline, with no envelope and nothing between the socket and the loop.
#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "load.hpp"
#include "skynet/bus/bson.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/origin.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::bench {

namespace {

using clock_type = std::chrono::steady_clock;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               clock_type::now().time_since_epoch())
        .count();
}

struct caller_window {
    clock_type::time_point start;
    clock_type::time_point end;      // stop sending (time mode)
    clock_type::time_point give_up;  // stop waiting for replies
};

// A request's frames after the MDP header: what they hold and where the
// send time goes.
struct request_body {
    std::string header;            // empty: no envelope
    std::size_t id_offset = 0;     // the header's request_id digits
    std::string params;            // the body frame
    std::size_t stamp_offset = 0;  // the send time's 8 bytes in it (and in the reply)
};

constexpr std::string_view placeholder_id = "0000000000000000";

request_body body_for(const raw_target& target, const load_plan& plan) {
    request_body b;
    if (!target.envelope) {
        b.params.assign(plan.size, 'x');
        return b;
    }
    const auto origin = bus::make_origin("skynet-bench");
    bus::rpc::request_header h;
    h.method = "echo";
    h.request_id = placeholder_id;  // the client's form: slot and generation in hex
    h.origin = origin;
    h.timeout_ms = plan.timeout.count();
    h.idempotent = plan.idempotent;
    b.header = std::string(bus::view_of(bus::rpc::encode_request_header(h)));
    b.id_offset = b.header.find(placeholder_id);
    bus::bson_doc params;
    params.add_string("data", std::string(std::max<std::size_t>(plan.size, 8), 'x'));
    const auto view = params.view();
    b.params.assign(reinterpret_cast<const char*>(view.data()), view.size());
    // int32 length, type byte, "data\0", int32 string length: then the string.
    b.stamp_offset = 4 + 1 + 5 + 4;
    return b;
}

// One raw caller: keeps plan.inflight requests out until the window closes.
class raw_caller {
public:
    raw_caller(const raw_target& target, const load_plan& plan)
        : target_(target),
          plan_(plan),
          socket_(runtime::connect_dealer(context_, target.endpoint, {})),
          body_(body_for(target, plan)) {}

    void run(const caller_window& w) {
        zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
        for (;;) {
            const auto now = clock_type::now();
            const bool sending = plan_.requests ? sent_ < plan_.requests : now < w.end;
            while (sending && outstanding_ < static_cast<std::uint64_t>(plan_.inflight) &&
                   (plan_.requests == 0 || sent_ < plan_.requests)) {
                send_one();
            }
            if ((!sending && outstanding_ == 0) || now >= w.give_up) {
                break;
            }
            zmq::poll(&item, 1, std::chrono::milliseconds(10));
            receive_all(w);
        }
        result.unanswered = outstanding_;
    }

    run_result result;
    clock_type::time_point last_reply{};

private:
    void send_one() {
        out_.clear();
        if (target_.mdp) {
            bus::mdp::put_client_header(out_, target_.service);  // "" MDPC01 service
        }
        if (!body_.header.empty()) {
            zmq::message_t header(body_.header.data(), body_.header.size());
            auto* id = static_cast<char*>(header.data()) + body_.id_offset;
            static constexpr char digits[] = "0123456789abcdef";
            for (int i = 0; i < 16; ++i) {
                id[15 - i] = digits[(sent_ >> (4 * i)) & 0xf];
            }
            out_.push_back(std::move(header));
        }
        zmq::message_t body(body_.params.data(), body_.params.size());
        const auto stamp = now_ns();
        std::memcpy(static_cast<char*>(body.data()) + body_.stamp_offset, &stamp, sizeof stamp);
        out_.push_back(std::move(body));
        bus::send_frames(socket_, out_, false);
        ++sent_;
        ++outstanding_;
    }

    void receive_all(const caller_window& w) {
        while (bus::recv_frames(socket_, in_)) {
            const auto& body = in_.back();
            if (body.size() < body_.stamp_offset + sizeof(std::int64_t)) {
                continue;  // not one of ours: a heartbeat, a stray frame or an error reply
            }
            std::int64_t stamp = 0;
            std::memcpy(&stamp, static_cast<const char*>(body.data()) + body_.stamp_offset,
                        sizeof stamp);
            const auto now = clock_type::now();
            result.latency.record(std::chrono::nanoseconds(now_ns() - stamp));
            ++result.outcomes[0];
            --outstanding_;
            last_reply = now;
            if (plan_.requests || now <= w.end) {
                ++result.completed;
            }
        }
    }

    const raw_target& target_;
    const load_plan& plan_;
    zmq::context_t context_{1};
    zmq::socket_t socket_;
    request_body body_;
    bus::frames out_;
    bus::frames in_;
    std::uint64_t sent_ = 0;
    std::uint64_t outstanding_ = 0;
};

}  // namespace

run_result run_raw_load(const raw_target& target, const load_plan& plan) {
    std::vector<std::unique_ptr<raw_caller>> callers;
    for (int i = 0; i < plan.callers; ++i) {
        callers.push_back(std::make_unique<raw_caller>(target, plan));
    }
    caller_window w;
    w.start = clock_type::now();
    w.end = w.start + std::chrono::duration_cast<clock_type::duration>(
                          std::chrono::duration<double>(plan.seconds));
    w.give_up = (plan.requests ? w.start : w.end) + plan.timeout;
    {
        std::vector<std::jthread> threads;
        for (auto& c : callers) {
            threads.emplace_back([&c, &w] { c->run(w); });
        }
    }
    run_result total;
    auto last = w.start;
    for (auto& c : callers) {
        total.completed += c->result.completed;
        total.latency.merge(c->result.latency);
        total.outcomes[0] += c->result.outcomes[0];
        total.unanswered += c->result.unanswered;
        last = std::max(last, c->last_reply);
    }
    total.outcomes[static_cast<int>(bus::errc::timeout)] = total.unanswered;
    const auto end = plan.requests ? last : w.end;
    total.seconds = std::chrono::duration<double>(end - w.start).count();
    return total;
}

}  // namespace skynet::bench
