#pragma once
// A wake-up fd (Linux eventfd): readable from a signal() until a drain().
// One thread waits on it in poll (zmq::poll takes it as a plain fd item)
// while any other thread, or a signal handler, wakes it.

#include <zmq.h>

namespace skynet::runtime {

class event_fd {
public:
    // Throws std::system_error if the kernel will not make one; `owner` names
    // the caller in that error.
    explicit event_fd(const char* owner = "event_fd");
    ~event_fd();  // closes it
    event_fd(event_fd&& other) noexcept;
    event_fd& operator=(event_fd&& other) noexcept;
    event_fd(const event_fd&) = delete;
    event_fd& operator=(const event_fd&) = delete;

    // Any thread, and async-signal-safe: makes the fd readable (one write
    // syscall). Signals before the next drain() add up to one wake-up.
    void signal() const noexcept;
    // The waiting thread: makes the fd unreadable again (one read syscall).
    // True if it was signalled.
    bool drain() const noexcept;

    int fd() const noexcept { return fd_; }
    // An item for zmq::poll that is readable while signalled.
    zmq_pollitem_t poll_item() const noexcept { return {nullptr, fd_, ZMQ_POLLIN, 0}; }

private:
    int fd_;
};

}  // namespace skynet::runtime
