#include "relay.hpp"

#include <deque>

#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/runtime/sockets.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet::bench {

namespace {

constexpr std::chrono::milliseconds poll_interval{50};  // how soon stop is seen
constexpr int batch = 1024;

// The relay's state: ready worker connections, and requests waiting for one.
struct relay_state {
    relay_mode mode;
    std::vector<zmq::message_t> workers;  // unlimited: round robin over these
    std::size_t next = 0;
    std::deque<zmq::message_t> ready;  // one per connection: idle workers
    std::deque<bus::frames> waiting;   // one per connection: queued requests
    std::string service;               // mdp_frames: named in every reply
    bus::frames out;
};

bool is_mdp_client(const bus::frames& in) {
    return in.size() >= 4 && bus::view_of(in[2]) == bus::mdp::client_protocol;
}

void to_worker(zmq::socket_t& router, relay_state& s, zmq::message_t&& worker, bus::frames& in) {
    s.out.clear();
    s.out.push_back(std::move(worker));
    if (mdp_framed(s.mode)) {
        // in: client-id "" MDPC01 service header params
        if (s.service.empty()) {
            s.service = bus::view_of(in[3]);
        }
        bus::mdp::put_request_header(s.out, std::move(in[0]));
        for (std::size_t i = 4; i < in.size(); ++i) {
            s.out.push_back(std::move(in[i]));
        }
    } else {
        s.out.emplace_back();
        for (auto& frame : in) {
            s.out.push_back(std::move(frame));  // client identity, then the body
        }
    }
    bus::send_frames(router, s.out);
}

// in: worker-id "" MDPW01 0x03 client-id "" header params
void mdp_reply_to_client(zmq::socket_t& router, relay_state& s, bus::frames& in) {
    s.out.clear();
    s.out.push_back(std::move(in[4]));
    bus::mdp::put_client_header(s.out, s.service);
    for (std::size_t i = 6; i < in.size(); ++i) {
        s.out.push_back(std::move(in[i]));
    }
    bus::send_frames(router, s.out);
}

zmq::message_t copy_of(const zmq::message_t& m) {
    zmq::message_t c;
    c.copy(const_cast<zmq::message_t&>(m));
    return c;
}

void on_client(zmq::socket_t& router, relay_state& s, bus::frames& in) {
    if (!one_at_a_time(s.mode)) {
        if (!s.workers.empty()) {
            auto& w = s.workers[s.next++ % s.workers.size()];
            to_worker(router, s, copy_of(w), in);
        }
        return;
    }
    if (s.ready.empty()) {
        s.waiting.push_back(std::move(in));
        return;
    }
    auto w = std::move(s.ready.front());
    s.ready.pop_front();
    to_worker(router, s, std::move(w), in);
}

void on_worker(zmq::socket_t& router, relay_state& s, bus::frames& in,
               std::atomic<std::uint64_t>& workers) {
    auto identity = std::move(in[0]);
    if (mdp_framed(s.mode) && in.size() >= 7) {
        mdp_reply_to_client(router, s, in);
    } else if (in.size() >= 4) {  // identity "" client body: a reply goes to its client
        s.out.clear();
        for (std::size_t i = 2; i < in.size(); ++i) {
            s.out.push_back(std::move(in[i]));
        }
        bus::send_frames(router, s.out);
    } else if (!one_at_a_time(s.mode)) {
        s.workers.push_back(std::move(identity));
        workers.store(s.workers.size());
        return;
    } else {
        workers.fetch_add(1);
    }
    if (one_at_a_time(s.mode)) {
        if (s.waiting.empty()) {
            s.ready.push_back(std::move(identity));
            return;
        }
        auto next = std::move(s.waiting.front());
        s.waiting.pop_front();
        to_worker(router, s, std::move(identity), next);
    }
}

// "" client body goes back as it came; a 7/MDP REQUEST becomes a REPLY.
void answer_in_place(bus::frames& message) {
    if (message.size() >= 3 && bus::view_of(message[1]) == bus::mdp::worker_protocol &&
        message[2].size() == 1) {
        *static_cast<std::uint8_t*>(message[2].data()) =
            static_cast<std::uint8_t>(bus::mdp::command::reply);
    }
}

}  // namespace

// Our sockets' settings (high-water marks, linger): the relay differs from a
// broker in what it does, not in how its socket is set.
relay::relay(zmq::context_t& context, relay_mode mode)
    : mode_(mode), router_(runtime::bind_router(context, "tcp://127.0.0.1:*", {})) {
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this] {
        runtime::name_this_thread("bench-relay");
        run(router_);
    });
    cpu_ = thread_cpu_clock(thread_.native_handle());
}

relay::~relay() {
    stop_ = true;
    thread_.join();
}

void relay::run(zmq::socket_t& router) {
    relay_state s{mode_, {}, 0, {}, {}, {}, {}};
    bus::frames in;
    zmq::pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
    while (!stop_.load(std::memory_order_relaxed)) {
        zmq::poll(&item, 1, poll_interval);
        for (int n = 0; n < batch && bus::recv_frames(router, in); ++n) {
            if (is_mdp_client(in)) {
                on_client(router, s, in);
            } else if (in.size() >= 2 && in[1].size() == 0) {
                on_worker(router, s, in, workers_);
            } else if (in.size() >= 2) {
                on_client(router, s, in);
            }
        }
    }
}

relay_worker::relay_worker(const std::string& endpoint, int connections) {
    for (int i = 0; i < connections; ++i) {
        auto& socket = sockets_.emplace_back(runtime::connect_dealer(context_, endpoint, {}));
        socket.send(zmq::message_t(), zmq::send_flags::none);  // ready
    }
    thread_ = std::thread([this] {
        runtime::name_this_thread("bench-relay-wkr");
        run();
    });
}

relay_worker::~relay_worker() {
    stop_ = true;
    thread_.join();
}

void relay_worker::run() {
    std::vector<zmq::pollitem_t> items;
    for (auto& socket : sockets_) {
        items.push_back({socket.handle(), 0, ZMQ_POLLIN, 0});
    }
    bus::frames message;
    while (!stop_.load(std::memory_order_relaxed)) {
        zmq::poll(items.data(), items.size(), poll_interval);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if ((items[i].revents & ZMQ_POLLIN) == 0) {
                continue;
            }
            for (int n = 0; n < batch && bus::recv_frames(sockets_[i], message); ++n) {
                answer_in_place(message);
                bus::send_frames(sockets_[i], message);
            }
        }
    }
}

}  // namespace skynet::bench
