// Taking turns at the client's loop. A synchronous caller drives it itself
// when no one else does: its request goes out and its reply comes in on its
// own thread, with no hand-off to the engine's thread and back. The engine's
// thread drives while calls are in flight and no one else does, and takes a
// look at the brokers every tick while all is idle. The turn passes under
// the inbox's lock, which also orders everything each driver did before the
// next.
#include <utility>

#include "engine.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet::client_detail {

namespace {

// The engine this thread drives now. A callback of one client may call
// another synchronously: the thread then drives both, the inner one first.
thread_local const engine* driving_here = nullptr;

class driving_scope {
public:
    explicit driving_scope(const engine* e) : previous_(std::exchange(driving_here, e)) {}
    ~driving_scope() { driving_here = previous_; }
    driving_scope(const driving_scope&) = delete;
    driving_scope& operator=(const driving_scope&) = delete;

private:
    const engine* previous_;
};

}  // namespace

bool engine::on_engine_thread() const noexcept {
    return driving_here == this;
}

bool engine::work_in_flight() const noexcept {
    return calls_.in_use() > 0 || !deferred_.empty();
}

call_result engine::call_and_wait(submission&& s) {
    std::optional<call_result> outcome;
    bool done = false;  // guarded by the inbox's lock, unless this thread drives
    s.done = [this, &outcome, &done](call_result r) {
        outcome.emplace(std::move(r));
        auto lock = inbox_.lock();
        done = true;
        if (turn_waiters_ > 0) {
            turn_.notify_all();
        }
    };
    auto lock = inbox_.lock();
    if (stopping_) {
        return bus::error{bus::errc::unavailable, "client is closing"};
    }
    (void)inbox_.push(lock, std::move(s));  // woken below, if another thread drives
    bool driver_woken = false;
    while (!done) {
        if (!driving_) {
            driving_ = true;
            lock.unlock();
            drive_until(done);
            lock.lock();
            hand_back(lock);
            break;
        }
        if (!driver_woken) {
            // The driver may be blocked in poll: it must see our call.
            driver_woken = true;
            inbox_.wake();
        }
        ++turn_waiters_;
        turn_.wait(lock);
        --turn_waiters_;
    }
    return std::move(*outcome);
}

// Our own call's callback sets `done` on this thread, so it is read here
// without the lock. A stopping engine is left to the engine's thread, after
// our call has ended (the destructor waits for that).
void engine::drive_until(const bool& done) {
    driving_scope scope(this);
    const auto now = bus::clock::now();
    (void)take_inbox(now);
    flush_batches(now);  // our call leaves before we wait for its reply
    while (!done) {
        (void)iterate(true);
    }
}

void engine::drive_in_background() {
    driving_scope scope(this);
    const auto now = bus::clock::now();
    const bool going = take_inbox(now);
    flush_batches(now);
    if (!going) {
        return;
    }
    do {
        if (!iterate(work_in_flight())) {
            return;
        }
    } while (work_in_flight());
}

void engine::hand_back(const inbox_lock& held) {
    const bool work_left = work_in_flight() || !inbox_.empty(held) || directory_.has_value();
    driving_ = false;
    if (work_left) {
        handed_back_ = true;
        background_.notify_one();
    }
    if (turn_waiters_ > 0) {
        turn_.notify_all();
    }
}

void engine::run_background() {
    runtime::name_this_thread("skynet-client");
    const auto tick = std::min(options_.heartbeat, milliseconds(100));
    auto lock = inbox_.lock();
    auto next_look = bus::clock::now();
    for (;;) {
        background_.wait_until(lock, next_look, [this, &lock] {
            return !driving_ && (stopping_ || handed_back_ || !inbox_.empty(lock) || directory_);
        });
        if (driving_) {
            next_look = bus::clock::now() + tick;  // the driver looks at the brokers
            continue;
        }
        driving_ = true;
        handed_back_ = false;
        const bool stopping = stopping_;
        lock.unlock();
        if (stopping) {
            // The turn is never given back: every call ends here, and no
            // call starts after stopping_.
            driving_scope scope(this);
            close_all();
            lock.lock();
            if (turn_waiters_ > 0) {
                turn_.notify_all();
            }
            return;
        }
        drive_in_background();
        lock.lock();
        hand_back(lock);
        next_look = bus::clock::now() + tick;
    }
}

}  // namespace skynet::client_detail
