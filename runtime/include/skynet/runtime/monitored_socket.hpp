#pragma once
// A socket and the PAIR that receives its ZeroMQ monitor events, owned as one.
//
// libzmq sends each monitor event with a blocking send, from the thread that
// saw it: usually the context's I/O thread. If the PAIR were closed while the
// socket could still report something (a closed socket is torn down later,
// by other threads; a socket to a dead peer retries every reconnect
// interval), the next event would block that thread for good, and with it
// every socket of the context: nothing sent or received again, and
// zmq_ctx_term hanging. (Seen as a client that stopped hearing any broker
// after one reconnect.) So this type stops the monitor while the socket is
// still open, and only then closes the PAIR and the socket.
#include <zmq.hpp>

namespace skynet::runtime {

class monitored_socket {
public:
    // Watches `socket` for `events` (ZMQ_EVENT_* bits). Throws zmq::error_t
    // if ZeroMQ refuses (out of descriptors, say); `socket` is closed then.
    monitored_socket(zmq::context_t& context, zmq::socket_t socket, int events);
    ~monitored_socket();
    monitored_socket(monitored_socket&& other) noexcept = default;
    monitored_socket& operator=(monitored_socket&& other) noexcept;
    monitored_socket(const monitored_socket&) = delete;
    monitored_socket& operator=(const monitored_socket&) = delete;

    zmq::socket_t& socket() noexcept { return socket_; }
    // The events' reader. Poll its ZMQ_FD (or the socket) and read it until
    // it is empty (read_event) each time: its descriptor is edge-triggered.
    zmq::socket_t& events() noexcept { return monitor_; }
    // The next event waiting, without blocking: its ZMQ_EVENT_* number, or 0
    // when none is left.
    int read_event();

private:
    void close() noexcept;

    zmq::socket_t socket_;
    zmq::socket_t monitor_;
    zmq::message_t frame_;
};

}  // namespace skynet::runtime
