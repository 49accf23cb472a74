#include "skynet/runtime/monitored_socket.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>

namespace skynet::runtime {

monitored_socket::monitored_socket(zmq::context_t& context, zmq::socket_t socket, int events)
    : socket_(std::move(socket)) {
    // Numbered per process: sockets sharing a context share its inproc names.
    static std::atomic<std::uint64_t> monitors_made{0};
    const auto address = "inproc://skynet-monitor-" + std::to_string(monitors_made.fetch_add(1));
    if (zmq_socket_monitor(socket_.handle(), address.c_str(), events) != 0) {
        throw zmq::error_t();
    }
    try {
        monitor_ = zmq::socket_t(context, zmq::socket_type::pair);
        monitor_.connect(address);
    } catch (...) {
        close();
        throw;
    }
    // libzmq signals a pipe's first message only to a reader that has found
    // it empty once: look now, or a caller polling the ZMQ_FD would never be
    // woken. What is read here is nothing yet, or an event a caller would
    // also see as the state it can ask the socket about.
    while (read_event() != 0) {
    }
}

monitored_socket::~monitored_socket() {
    close();
}

monitored_socket& monitored_socket::operator=(monitored_socket&& other) noexcept {
    if (this != &other) {
        close();
        socket_ = std::move(other.socket_);
        monitor_ = std::move(other.monitor_);
    }
    return *this;
}

void monitored_socket::close() noexcept {
    if (socket_.handle() != nullptr && monitor_.handle() != nullptr) {
        // Stops the events under libzmq's monitor lock: none is sent after.
        zmq_socket_monitor(socket_.handle(), nullptr, 0);
    }
    monitor_.close();
    socket_.close();
}

int monitored_socket::read_event() {
    // Each event is two frames: the event number and value, then the address.
    int event = 0;
    bool first = true;
    for (;;) {
        if (!monitor_.recv(frame_, zmq::recv_flags::dontwait)) {
            return event;  // nothing (more) waiting
        }
        if (first && frame_.size() >= sizeof(std::uint16_t)) {
            std::uint16_t number = 0;
            std::memcpy(&number, frame_.data(), sizeof number);
            event = number;
        }
        first = false;
        if (!frame_.more()) {
            return event == 0 ? -1 : event;
        }
    }
}

}  // namespace skynet::runtime
