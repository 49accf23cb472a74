#pragma once
// A queue from many threads to one consumer thread, whose loop polls the
// box's event_fd among its sockets. The consumer takes everything at once,
// so a producer wakes it only when the box goes from empty to non-empty:
// one write syscall per batch, none for the messages that join it.

#include <cassert>
#include <mutex>
#include <vector>

#include "skynet/runtime/event_fd.hpp"

namespace skynet::runtime {

template <class T>
class mailbox {
public:
    using lock_type = std::unique_lock<std::mutex>;

    // Throws std::system_error if its event_fd cannot be made.
    explicit mailbox(const char* owner = "mailbox") : wake_(owner) {}
    mailbox(const mailbox&) = delete;
    mailbox& operator=(const mailbox&) = delete;

    // Any thread: queues `item`, and wakes the consumer if the box was
    // empty. False, and `item` dropped, once the box is closed.
    bool push(T&& item) {
        bool was_empty = false;
        {
            std::lock_guard lock(mutex_);
            if (closed_) {
                return false;
            }
            was_empty = queue_.empty();
            queue_.push_back(std::move(item));
        }
        if (was_empty) {
            wake_.signal();
        }
        return true;
    }

    // The consumer, once poll said the fd is readable: everything queued,
    // moved into `out` (cleared first). Both vectors keep their capacity, so
    // that a steady flow costs no allocation.
    void take_all(std::vector<T>& out) {
        out.clear();
        (void)wake_.drain();  // before the swap: a push after it wakes us again
        std::lock_guard lock(mutex_);
        std::swap(out, queue_);
    }

    // Any thread: drops what is queued; later pushes are refused.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        queue_.clear();
    }

    int fd() const noexcept { return wake_.fd(); }
    zmq_pollitem_t poll_item() const noexcept { return wake_.poll_item(); }

    // For an owner that keeps more of its state under the box's lock (whose
    // turn it is to consume, say) and decides itself when the consumer needs
    // waking. These ignore close(); `held` must hold lock().
    lock_type lock() { return lock_type(mutex_); }
    // Queues `item` without waking anyone; true if the box was empty.
    bool push(const lock_type& held, T&& item) {
        assert(held.mutex() == &mutex_ && held.owns_lock());
        (void)held;
        const bool was_empty = queue_.empty();
        queue_.push_back(std::move(item));
        return was_empty;
    }
    // Everything queued, moved into `out` (cleared first); the fd is left as
    // it is (drain() it when poll said it is readable).
    void take_all(const lock_type& held, std::vector<T>& out) {
        assert(held.mutex() == &mutex_ && held.owns_lock());
        (void)held;
        out.clear();
        std::swap(out, queue_);
    }
    bool empty(const lock_type& held) const noexcept {
        assert(held.mutex() == &mutex_ && held.owns_lock());
        (void)held;
        return queue_.empty();
    }
    // Any thread, async-signal-safe: makes the fd readable.
    void wake() const noexcept { wake_.signal(); }
    // The consumer: makes the fd unreadable until the next wake.
    void drain() const noexcept { (void)wake_.drain(); }

private:
    std::mutex mutex_;
    std::vector<T> queue_;  // guarded by mutex_
    bool closed_ = false;   // guarded by mutex_
    event_fd wake_;         // readable while queue_ may be non-empty
};

}  // namespace skynet::runtime
