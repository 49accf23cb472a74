// Taking turns at the client's loop (loop_driver.hpp). A synchronous caller
// drives it itself when no one else does: its request goes out and its
// reply comes in on its own thread, with no hand-off to the driver's thread
// and back. The turn passes under the inbox's lock, which also orders
// everything each driver did before the next.
#include "loop_driver.hpp"

#include <utility>

#include "engine.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet::client_detail {

namespace {

// The loop this thread drives now. A callback of one client may call
// another synchronously: the thread then drives both, the inner one first.
thread_local const loop_driver* driving_here = nullptr;

class driving_scope {
public:
    explicit driving_scope(const loop_driver* d) : previous_(std::exchange(driving_here, d)) {}
    ~driving_scope() { driving_here = previous_; }
    driving_scope(const driving_scope&) = delete;
    driving_scope& operator=(const driving_scope&) = delete;

private:
    const loop_driver* previous_;
};

}  // namespace

void loop_driver::start(bus::milliseconds tick) {
    tick_ = tick;
    thread_ = std::thread([this] { run_background(); });
}

void loop_driver::stop() {
    {
        auto lock = inbox_.lock();
        stopping_ = true;
    }
    background_.notify_one();
    inbox_.wake();  // a driver in poll
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool loop_driver::on_driving_thread() const noexcept {
    return driving_here == this;
}

bool loop_driver::work_in_flight() const noexcept {
    return body_.calls_in_flight() || !deferred_.empty();
}

void loop_driver::submit(submission&& s) {
    if (on_driving_thread()) {
        deferred_.push_back(std::move(s));  // started once the callback returns
        return;
    }
    bool wake_driver = false;
    {
        auto lock = inbox_.lock();
        if (stopping_) {
            // Not started: answered here, on the caller's thread.
            s.done(bus::error{bus::errc::unavailable, "client is closing"});
            return;
        }
        // One wake-up per batch: of the driver if there is one, else of the
        // driver's thread, which takes the turn.
        wake_driver = inbox_.push(lock, std::move(s)) && driving_;
        if (!driving_) {
            background_.notify_one();
        }
    }
    if (wake_driver) {
        inbox_.wake();
    }
}

void loop_driver::set_directory(std::vector<broker_entry> brokers) {
    {
        auto lock = inbox_.lock();
        directory_ = std::move(brokers);
        if (!driving_) {
            background_.notify_one();
        }
    }
    inbox_.wake();  // a driver in poll
}

bool loop_driver::on_wake(bus::time_point now) {
    inbox_.drain();
    const bool going = take_inbox(now);
    stop_seen_ = stop_seen_ || !going;
    return going;
}

bool loop_driver::take_inbox(bus::time_point now) {
    std::optional<std::vector<broker_entry>> directory;
    bool stopping = false;
    {
        auto lock = inbox_.lock();
        inbox_.take_all(lock, taken_);  // both keep their capacity
        directory.swap(directory_);
        stopping = stopping_;
    }
    if (directory) {
        body_.apply_directory(*directory, now);
    }
    for (auto& s : taken_) {
        body_.start_call(std::move(s), now);
    }
    taken_.clear();
    return !stopping;
}

bool loop_driver::directory_waiting() {
    auto lock = inbox_.lock();
    return directory_.has_value();
}

// Swapped, not moved out: both vectors keep their capacity, so that calls
// made from callbacks cost no allocation per batch.
void loop_driver::start_deferred(bus::time_point now) {
    while (!deferred_.empty()) {
        std::swap(starting_, deferred_);
        for (auto& s : starting_) {
            body_.start_call(std::move(s), now);
        }
        starting_.clear();
    }
}

void loop_driver::close_all() {
    const bus::error closing{bus::errc::unavailable, "client is closing"};
    body_.end_all(closing);
    // Swapped out first: a callback answered here may submit again.
    while (!deferred_.empty()) {
        std::swap(starting_, deferred_);
        for (auto& s : starting_) {
            s.done(bus::error(closing));
        }
        starting_.clear();
    }
    // Submitted while we were stopping (after the last take, before stop()
    // set stopping_): never started, but owed an outcome too.
    {
        auto lock = inbox_.lock();
        inbox_.take_all(lock, taken_);
    }
    for (auto& s : taken_) {
        s.done(bus::error(closing));
    }
    taken_.clear();
}

call_result loop_driver::call_and_wait(submission&& s) {
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
// without the lock. A stopping loop is left to the driver's thread, after
// our call has ended (stop() waits for that).
void loop_driver::drive_until(const bool& done) {
    driving_scope scope(this);
    const auto now = bus::clock::now();
    (void)take_inbox(now);
    body_.flush(now);  // our call leaves before we wait for its reply
    while (!done) {
        body_.turn(true);
    }
}

void loop_driver::drive_in_background() {
    driving_scope scope(this);
    const auto now = bus::clock::now();
    const bool going = take_inbox(now);
    body_.flush(now);
    if (!going) {
        return;
    }
    stop_seen_ = false;
    do {
        body_.turn(work_in_flight());
        if (stop_seen_) {
            return;
        }
    } while (work_in_flight());
}

void loop_driver::hand_back(const inbox_lock& held) {
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

void loop_driver::run_background() {
    runtime::name_this_thread("skynet-client");
    auto lock = inbox_.lock();
    auto next_look = bus::clock::now();
    for (;;) {
        background_.wait_until(lock, next_look, [this, &lock] {
            return !driving_ && (stopping_ || handed_back_ || !inbox_.empty(lock) || directory_);
        });
        if (driving_) {
            next_look = bus::clock::now() + tick_;  // the driver looks at the brokers
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
        try {
            drive_in_background();
        } catch (const std::exception& e) {
            // Nothing escapes this thread (it would end the process): the
            // calls in flight still end, at their deadlines at the latest.
            runtime::logger_for("client")->error("client loop failed error=\"{}\"", e.what());
        }
        lock.lock();
        hand_back(lock);
        next_look = bus::clock::now() + tick_;
    }
}

}  // namespace skynet::client_detail
