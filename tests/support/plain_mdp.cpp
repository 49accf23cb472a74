#include "plain_mdp.hpp"

namespace skynet::testing {

void send_strings(zmq::socket_t& socket, const frame_list& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
        auto more = i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none;
        socket.send(zmq::buffer(frames[i]), more);
    }
}

std::optional<frame_list> receive_strings(zmq::socket_t& socket, std::chrono::milliseconds limit) {
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, limit) == 0) {
        return std::nullopt;
    }
    frame_list frames;
    do {
        zmq::message_t frame;
        (void)socket.recv(frame);
        frames.emplace_back(frame.to_string());
    } while (socket.get(zmq::sockopt::rcvmore));
    return frames;
}

plain_client::plain_client(zmq::context_t& context, const std::string& broker)
    : socket_(context, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.connect(broker);
}

std::optional<frame_list> plain_client::request(const std::string& service, const frame_list& body,
                                                std::chrono::milliseconds limit) {
    frame_list message{"", "MDPC01", service};
    message.insert(message.end(), body.begin(), body.end());
    send_strings(socket_, message);
    auto reply = receive_strings(socket_, limit);
    // Spec: "" MDPC01 service body...
    if (!reply || reply->size() < 4 || (*reply)[0] != "" || (*reply)[1] != "MDPC01" ||
        (*reply)[2] != service) {
        return std::nullopt;
    }
    return frame_list(reply->begin() + 3, reply->end());
}

plain_worker::plain_worker(zmq::context_t& context, std::string broker, std::string service,
                           std::chrono::milliseconds heartbeat)
    : heartbeat_(heartbeat),
      thread_([this, &context, broker = std::move(broker), service = std::move(service)] {
          serve(context, broker, service);
      }) {}

plain_worker::~plain_worker() {
    stop_ = true;
    thread_.join();
}

void plain_worker::serve(zmq::context_t& context, const std::string& broker,
                         const std::string& service) {
    zmq::socket_t socket(context, zmq::socket_type::dealer);
    socket.set(zmq::sockopt::linger, 0);
    socket.connect(broker);
    send_strings(socket, {"", "MDPW01", "\x01", service});
    auto next_heartbeat = std::chrono::steady_clock::now() + heartbeat_;
    while (!stop_) {
        auto message = receive_strings(socket, std::chrono::milliseconds(20));
        if (message && message->size() >= 6 && (*message)[2] == "\x02") {
            // REQUEST: "" MDPW01 0x02 client "" body...
            frame_list reply{"", "MDPW01", "\x03", (*message)[3], ""};
            reply.push_back("plain:" + (*message)[5]);
            reply.insert(reply.end(), message->begin() + 6, message->end());
            ++requests_;  // before the reply, so that whoever got it sees the count
            send_strings(socket, reply);
        }
        if (std::chrono::steady_clock::now() >= next_heartbeat) {
            send_strings(socket, {"", "MDPW01", "\x04"});
            next_heartbeat = std::chrono::steady_clock::now() + heartbeat_;
        }
    }
    send_strings(socket, {"", "MDPW01", "\x05"});
}

}  // namespace skynet::testing
