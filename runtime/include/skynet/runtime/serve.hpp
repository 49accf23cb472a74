#pragma once
// serve(): run a process's worker(s) and/or broker until SIGINT or SIGTERM,
// then drain them, with no window in which a signal is lost or kills the
// process: the signals are blocked before any thread starts, and one that
// comes while the parts are still being built stops them as soon as they run.
//
//     int main() {
//         skynet::runtime::stop_signals signals;  // first, before any thread
//         skynet::worker w(options);
//         w.handle("Hello", hello);
//         return signals.serve(w);
//     }

#include <concepts>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "skynet/runtime/signals.hpp"

namespace skynet::runtime {

// One part of a process that serve() runs.
struct served_part {
    std::string name;  // for log lines: "worker", "broker"
    // Serves until stopped, drains, and returns. It may throw (a setup
    // error): serve() logs it, stops the other parts and returns 1.
    std::function<void()> run;
    // Asks run() to drain and return. From any thread, more than once, and
    // before run() has begun (run() then drains at once); it must not block.
    std::function<void()> stop;
};

// What serve() can run as it is: skynet::worker and skynet::broker.
template <class T>
concept servable = requires(T& part) {
    part.run();
    part.stop();
};

// A part made of `part`'s run() and stop(); `part` must outlive serve().
template <servable T>
served_part part_of(T& part, std::string name) {
    return {std::move(name), [&part] { part.run(); }, [&part] { part.stop(); }};
}

// Owns SIGINT and SIGTERM for the process while it lives. Construct it first
// in main(): the constructing thread blocks the signals, and so does every
// thread started after it, so that only its watcher takes them. A signal
// that arrives before serve() is kept, not lost.
// It also sets SIGPIPE to be ignored for the whole process: a write to a
// pipe or socket whose reader went away fails with EPIPE instead of ending
// the process (a service's log reader may go away and come back).
class stop_signals {
public:
    stop_signals();
    // The same, and SIGHUP calls `on_hangup` on the watcher's thread (a
    // reload: it may read files; it must not throw or block for long).
    // Without it SIGHUP keeps its default action.
    explicit stop_signals(std::function<void()> on_hangup);
    ~stop_signals();
    stop_signals(const stop_signals&) = delete;
    stop_signals& operator=(const stop_signals&) = delete;

    // Runs every part, the last on the calling thread and the others on
    // threads of their own, until a signal comes (or came already) or one
    // part returns by itself; then asks every part to stop and waits until
    // all have drained and returned. Returns the process's exit status: 0,
    // or 1 if a part threw (its what() is logged). Call it once. Throws
    // std::invalid_argument for a part without run or stop.
    int serve(std::vector<served_part> parts);

    template <servable... Parts>
    int serve(Parts&... parts) {
        return serve(std::vector<served_part>{part_of(parts, "part")...});
    }

    // The last signal received, 0 if none.
    int last_signal() const noexcept { return watcher_.last_signal(); }

private:
    void watch(const std::vector<served_part>& parts);
    void stop_all();
    bool run_part(served_part& part);

    std::mutex mutex_;
    // Guarded by mutex_: the parts being served (their names and stops).
    std::vector<served_part> stops_;
    bool stopping_ = false;  // guarded by mutex_
    std::function<void()> on_hangup_;
    signal_watcher watcher_;  // last: its thread uses the fields above
};

// stop_signals, then `build` (which makes the parts: their threads start
// with the signals blocked), then serve() what it returned. The parts own
// what they run (capture it by shared_ptr). An exception from `build` is
// logged and gives 1.
int serve(const std::function<std::vector<served_part>()>& build);

}  // namespace skynet::runtime
