#pragma once
// Taking turns at the client's loop. Whichever thread drives it owns every
// socket; other threads hand it calls and directories through a mailbox.
//
// Who drives: a thread waiting in a synchronous call, when no one else is
// driving, runs the loop itself until its call ends, so that a synchronous
// call costs no hand-off to another thread and back (two wake-ups, most of
// its latency on an idle machine). The driver's own thread drives whenever
// calls are in flight and no one else does, and looks at the brokers every
// tick while all is idle.

#include <condition_variable>
#include <optional>
#include <thread>
#include <vector>

#include "skynet/bus/clock.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/registry/broker_directory.hpp"
#include "skynet/runtime/mailbox.hpp"
#include "submission.hpp"

namespace skynet::client_detail {

using registry::broker_entry;

// What a turn at the loop runs (engine.hpp). Called, not derived from: the
// driver's thread starts while the engine is being built, and a virtual
// call into it then would race with its construction.
class engine;

class loop_driver {
public:
    explicit loop_driver(engine& body) : body_(body) {}
    loop_driver(const loop_driver&) = delete;
    loop_driver& operator=(const loop_driver&) = delete;

    // Starts the driver's own thread; `tick`: how often it looks while idle.
    void start(bus::milliseconds tick);
    // Ends every call (UNAVAILABLE) and joins the thread.
    void stop();

    // Any thread. From the driving thread (a callback), the call starts once
    // the callback has returned.
    void submit(submission&& s);
    // A synchronous call: any thread but the driving one. It drives the loop
    // itself while no one else does, and returns the call's one outcome.
    call_result call_and_wait(submission&& s);
    // Any thread: the brokers the registry knows now.
    void set_directory(std::vector<broker_entry> brokers);
    // True on the thread driving the loop now (in a callback, say).
    bool on_driving_thread() const noexcept;

    // For the driving thread's turns. The mailbox's fd, readable when a
    // submission or a directory waits.
    zmq_pollitem_t poll_item() const noexcept { return inbox_.poll_item(); }
    // The poll item was readable: takes what waits. False once stopping.
    bool on_wake(bus::time_point now);
    // True if a directory was handed over and not taken yet.
    bool directory_waiting();
    // Starts calls made from callbacks this turn.
    void start_deferred(bus::time_point now);
    bool has_deferred() const noexcept { return !deferred_.empty(); }

private:
    using inbox_lock = runtime::mailbox<submission>::lock_type;

    void run_background();
    // The driver's thread drives: while calls are in flight and no sync
    // caller wants the loop, blocking in poll; else one look without waiting.
    void drive_in_background();
    void drive_until(const bool& done);
    bool work_in_flight() const noexcept;
    // Leaves the loop to whoever needs it next.
    void hand_back(const inbox_lock& held);
    // Starts what other threads handed over. False once stopping.
    bool take_inbox(bus::time_point now);
    // Closing: every call still running, or waiting, gets its one outcome.
    void close_all();

    engine& body_;
    // Handed over from other threads, and whose turn it is to drive: the
    // fields marked "guarded" are guarded by the inbox's lock, so that a
    // submission and the turn it wakes are one decision.
    runtime::mailbox<submission> inbox_{"client"};
    std::vector<submission> taken_;
    std::vector<submission> deferred_;  // submitted by callbacks, driving thread only
    std::vector<submission> starting_;  // the batch of deferred_ being started
    bool stopping_ = false;             // guarded
    bool stop_seen_ = false;            // driving thread: a take saw stopping_
    std::optional<std::vector<broker_entry>> directory_;  // guarded
    bool driving_ = false;                                // guarded: someone runs the loop
    // Guarded: a synchronous caller left calls in flight behind, for the
    // driver's thread to drive.
    bool handed_back_ = false;
    int turn_waiters_ = 0;                // guarded
    std::condition_variable turn_;        // for synchronous callers
    std::condition_variable background_;  // for the driver's thread
    bus::milliseconds tick_{100};
    std::thread thread_;
};

}  // namespace skynet::client_detail
