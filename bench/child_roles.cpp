// skynet-bench in a child role: holds thousands of peers (clients, idle
// workers, a flood of queued requests) or a bare ROUTER, in a process of its
// own, until its stdin closes. Each role prints one line when it is in place.
#include "child_roles.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"

namespace skynet::bench {

namespace {

namespace mdp = bus::mdp;
using clock_type = std::chrono::steady_clock;

constexpr auto setup_limit = std::chrono::seconds(60);

void say(const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

// Reads stdin without blocking; true once it has closed (the parent is done).
bool parent_gone(const zmq::pollitem_t& item) {
    if ((item.revents & ZMQ_POLLIN) == 0) {
        return false;
    }
    char buffer[64];
    return read(0, buffer, sizeof buffer) <= 0;
}

// Connects in small steps, so that the listener's accept backlog never overflows.
std::vector<zmq::socket_t> connect_many(zmq::context_t& context, const std::string& endpoint,
                                        int count) {
    std::vector<zmq::socket_t> sockets;
    sockets.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        auto& s = sockets.emplace_back(context, zmq::socket_type::dealer);
        s.set(zmq::sockopt::linger, 0);
        s.connect(endpoint);
        if (i % 100 == 99) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    return sockets;
}

void send_client_request(zmq::socket_t& s, std::string_view service, std::string_view body) {
    bus::frames out;
    mdp::put_client_header(out, service);
    out.push_back(bus::frame_of(body));
    bus::send_frames(s, out, false);
}

std::vector<zmq::pollitem_t> poll_items(std::vector<zmq::socket_t>& sockets) {
    std::vector<zmq::pollitem_t> items{{nullptr, 0, ZMQ_POLLIN, 0}};  // stdin
    for (auto& s : sockets) {
        items.push_back({s.handle(), 0, ZMQ_POLLIN, 0});
    }
    return items;
}

// Waits for stdin to close, answering nothing.
void hold_until_parent_leaves() {
    zmq::pollitem_t in{nullptr, 0, ZMQ_POLLIN, 0};
    for (;;) {
        zmq::poll(&in, 1, std::chrono::milliseconds(1000));
        if (parent_gone(in)) {
            return;
        }
    }
}

int hold_clients(zmq::context_t& context, const child_options& o) {
    auto sockets = connect_many(context, o.endpoint, o.count);
    for (auto& s : sockets) {
        send_client_request(s, "mmi.service", "bench-echo");
    }
    auto items = poll_items(sockets);
    int answered = 0;
    bus::frames in;
    const auto deadline = clock_type::now() + setup_limit;
    while (answered < o.count && clock_type::now() < deadline) {
        zmq::poll(items.data(), items.size(), std::chrono::milliseconds(100));
        for (std::size_t i = 1; i < items.size(); ++i) {
            while ((items[i].revents & ZMQ_POLLIN) != 0 && bus::recv_frames(sockets[i - 1], in)) {
                ++answered;
            }
        }
        if (parent_gone(items[0])) {
            return 0;
        }
    }
    say((answered == o.count ? "ready " : "partial ") + std::to_string(answered));
    hold_until_parent_leaves();
    return 0;
}

// Idle 7/MDP workers: READY once, heartbeats, and requests echoed at once.
class worker_pack {
public:
    worker_pack(zmq::context_t& context, const child_options& o)
        : sockets_(connect_many(context, o.endpoint, o.count)),
          seen_(sockets_.size(), false),
          interval_(o.heartbeat_ms) {
        for (std::size_t i = 0; i < sockets_.size(); ++i) {
            out_.clear();
            const auto name = o.service.empty()
                                  ? o.prefix + "-" + std::to_string(o.first + static_cast<int>(i))
                                  : o.service;
            mdp::put_ready(out_, name);
            bus::send_frames(sockets_[i], out_, false);
        }
        items_ = poll_items(sockets_);
    }

    // One turn of the loop: false once the parent has gone. Until the broker
    // has spoken to every socket, all of them are polled; after that only at
    // each heartbeat, so that thousands of idle peers cost the machine
    // (shared with the measured run) next to nothing.
    bool turn(bool answer) {
        const bool settled = seen_count_ == sockets_.size();
        const auto now = clock_type::now();
        const auto wait = settled ? std::chrono::ceil<std::chrono::milliseconds>(
                                        std::max(next_heartbeat_ - now, clock_type::duration{}))
                                  : std::chrono::milliseconds(100);
        zmq::poll(items_.data(), settled ? 1 : items_.size(), wait);
        for (std::size_t i = 1; i < items_.size(); ++i) {
            const bool readable = settled || (items_[i].revents & ZMQ_POLLIN) != 0;
            while (readable && bus::recv_frames(sockets_[i - 1], in_)) {
                on_message(i - 1, answer);
            }
        }
        if (clock_type::now() >= next_heartbeat_) {
            for (auto& s : sockets_) {
                out_.clear();
                mdp::put_heartbeat(out_);
                bus::send_frames(s, out_);
            }
            next_heartbeat_ = clock_type::now() + interval_;
        }
        return !parent_gone(items_[0]);
    }

    std::size_t seen() const noexcept { return seen_count_; }
    std::size_t size() const noexcept { return sockets_.size(); }

private:
    void on_message(std::size_t i, bool answer) {
        if (!seen_[i]) {
            seen_[i] = true;  // the broker heard our READY: it talks to us
            ++seen_count_;
        }
        // "" MDPW01 REQUEST client "" body...: REPLY is the same with 0x03.
        if (answer && in_.size() >= 6 && in_[2].size() == 1 &&
            *in_[2].data<std::uint8_t>() == static_cast<std::uint8_t>(mdp::command::request)) {
            *in_[2].data<std::uint8_t>() = static_cast<std::uint8_t>(mdp::command::reply);
            bus::send_frames(sockets_[i], in_);
        }
    }

    std::vector<zmq::socket_t> sockets_;
    std::vector<bool> seen_;
    std::size_t seen_count_ = 0;
    std::chrono::milliseconds interval_;
    clock_type::time_point next_heartbeat_ = clock_type::now();
    std::vector<zmq::pollitem_t> items_;
    bus::frames in_;
    bus::frames out_;
};

int hold_workers(zmq::context_t& context, const child_options& o) {
    worker_pack pack(context, o);
    const auto deadline = clock_type::now() + setup_limit;
    bool announced = false;
    while (pack.turn(true)) {
        if (!announced && (pack.seen() == pack.size() || clock_type::now() >= deadline)) {
            say((pack.seen() == pack.size() ? "ready " : "partial ") + std::to_string(pack.seen()));
            announced = true;
        }
    }
    return 0;
}

// Waits for the broker's answer to one mmi.service probe: every request this
// socket sent before it has been taken by then (one connection is in order).
bool probe_answered(zmq::socket_t& client) {
    send_client_request(client, "mmi.service", "flood");
    bus::frames in;
    zmq::pollitem_t item{client.handle(), 0, ZMQ_POLLIN, 0};
    const auto deadline = clock_type::now() + setup_limit;
    while (clock_type::now() < deadline) {
        zmq::poll(&item, 1, std::chrono::milliseconds(100));
        while (bus::recv_frames(client, in)) {
            if (in.size() >= 3 && bus::view_of(in[2]) == "mmi.service") {
                return true;
            }
        }
    }
    return false;
}

// One worker that takes a request and never answers, and `count` requests
// for its service: all but one of them wait in the broker's queue.
int flood(zmq::context_t& context, const child_options& o) {
    child_options one = o;
    one.count = 1;
    one.service = "flood";
    worker_pack pack(context, one);
    const auto deadline = clock_type::now() + setup_limit;
    while (pack.seen() == 0 && clock_type::now() < deadline) {
        if (!pack.turn(false)) {
            return 0;
        }
    }
    zmq::socket_t client(context, zmq::socket_type::dealer);
    client.set(zmq::sockopt::sndhwm, o.count + 100);
    client.set(zmq::sockopt::sndtimeo, 10000);
    client.set(zmq::sockopt::linger, 0);
    client.connect(o.endpoint);
    const std::string body(100, 'q');
    for (int i = 0; i < o.count; ++i) {
        send_client_request(client, "flood", body);
    }
    say(probe_answered(client) ? "ready " + std::to_string(o.count) : "partial 0");
    while (pack.turn(false)) {
    }
    return 0;
}

int bare_router(zmq::context_t& context) {
    zmq::socket_t router(context, zmq::socket_type::router);
    router.set(zmq::sockopt::linger, 0);
    router.bind("tcp://127.0.0.1:*");
    say("endpoint " + router.get(zmq::sockopt::last_endpoint));
    zmq::pollitem_t items[] = {{nullptr, 0, ZMQ_POLLIN, 0}, {router.handle(), 0, ZMQ_POLLIN, 0}};
    bus::frames in;
    for (;;) {
        zmq::poll(items, 2, std::chrono::milliseconds(1000));
        while (bus::recv_frames(router, in)) {
            bus::send_frames(router, in);  // identity first: back where it came from
        }
        if (parent_gone(items[0])) {
            return 0;
        }
    }
}

}  // namespace

int run_child(const child_options& o) {
    if (o.role == "echo-workers") {
        return run_echo_workers(o);  // our worker objects: no context of ours
    }
    zmq::context_t context(1);
    context.set(zmq::ctxopt::max_sockets, o.count + 64);
    if (o.role == "clients") {
        return hold_clients(context, o);
    }
    if (o.role == "workers") {
        return hold_workers(context, o);
    }
    if (o.role == "flood") {
        return flood(context, o);
    }
    if (o.role == "router") {
        return bare_router(context);
    }
    std::fprintf(stderr, "skynet-bench: unknown child role %s\n", o.role.c_str());
    return 2;
}

}  // namespace skynet::bench
