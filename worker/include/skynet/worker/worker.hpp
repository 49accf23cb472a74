#pragma once
// skynet::worker: a service. It connects to one broker or more, announces
// "name@version" (7/MDP READY), and runs a handler per method for every
// request the brokers send it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/worker/request.hpp"
#include "skynet/worker/worker_stats.hpp"

namespace skynet {

struct worker_options {
    std::string service;               // the name clients call
    std::string version;               // announced as name@version; empty: the bare name
    std::vector<std::string> brokers;  // endpoints, such as tcp://127.0.0.1:5555
    // Handlers that may run at once on the worker's handler threads.
    int concurrency = 4;
    // Requests a broker may hand this worker at once (docs/design.md: credit);
    // 0 means `concurrency`. Async handlers that wait on other services need
    // more credit than threads.
    std::uint32_t credit = 0;
    // Behave as a plain 7/MDP worker: no credit negotiation, one request per
    // connection, and `credit` connections per broker. (Without it, a broker
    // that answers the credit request 501 gets the same, and is told the
    // bare service name, since it matches names exactly.)
    bool plain = false;
    // Ask for batch frames with the credit (docs/design.md): many requests,
    // and their replies, in one frame each way. Our brokers agree; others
    // answer the credit without it, and nothing changes.
    bool batching = true;
    // Heartbeats to each broker, and silence (heartbeat * liveness) after
    // which a broker is taken for dead. A broker of ours says its own terms
    // with the credit, and the stricter of the two holds (docs/design.md).
    std::chrono::milliseconds heartbeat{2500};
    int liveness = 3;
    // Reconnect backoff after losing a broker: doubles from min to max, with jitter.
    std::chrono::milliseconds reconnect_min{100};
    std::chrono::milliseconds reconnect_max{5000};
    // On stop, how long in-flight requests get to finish.
    std::chrono::milliseconds drain_timeout{10000};
    // A ZeroMQ context to share with the process's brokers and clients (one
    // set of I/O threads, inproc between them); empty: one of its own. The
    // worker holds a share until wait() returns (or it is destroyed), so
    // the context outlives its sockets; do not shut it down before then.
    std::shared_ptr<zmq::context_t> context;

    // The registry (docs/design.md). With `redis` set (redis://[:pass@]host:port/db)
    // the worker registers itself, publishes its figures every
    // stats_interval, and, given no `brokers`, serves on every broker of its
    // region found in the registry, following them as they come and go.
    std::string redis;
    std::string redis_prefix = "skynet:";  // of every registry key
    std::string region = "local";
    std::string host;  // this machine's name in the registry; empty: its hostname
    std::chrono::milliseconds stats_interval{2000};
    // How long the worker's record outlives its last refresh: the bound on
    // the registry reporting it gone if it dies without a word (at least
    // 100 ms; refreshed every third of it).
    std::chrono::milliseconds lease{10000};
};

// Where a method's handler runs.
enum class run_on {
    pool,       // a handler thread: may block (default)
    io_thread,  // the worker's network thread: must not block; fastest
};

// A synchronous handler returns the result document, or throws: the
// exception's what() becomes a SERVICE_ERROR reply. bus::service_failure
// carries another code.
using handler = std::function<bus::bson_doc(const request&)>;
// An asynchronous handler runs on the network thread, must not block, and
// answers through the responder later, from any thread.
using async_handler = std::function<void(responder)>;
// A raw handler gets the body frames of a plain MDP request and returns the
// reply's body frames (at least one).
using raw_handler = std::function<bus::frames(std::span<const zmq::message_t>)>;

// Thrown by a handler to answer with a code other than SERVICE_ERROR.
class service_failure : public std::runtime_error {
public:
    service_failure(bus::errc code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    bus::errc code() const noexcept { return code_; }

private:
    bus::errc code_;
};

// Hooks a service author can set before start(). They may run on any of the
// worker's threads, so they must be thread-safe; they must not block.
struct worker_hooks {
    std::function<void()> started;
    std::function<void()> stopped;
    std::function<void(const std::string& broker)> registered;    // READY sent
    std::function<void(const std::string& broker)> unregistered;  // connection lost or closed
    std::function<void(const request&)> method_called;
    std::function<void(const request&, std::chrono::nanoseconds, bus::errc)> method_completed;
};

class worker {
public:
    // Throws std::invalid_argument for unusable options (no service, no broker).
    explicit worker(worker_options options);
    ~worker();  // stop() and wait()
    worker(const worker&) = delete;
    worker& operator=(const worker&) = delete;

    // Registration comes before start(); these are not thread-safe.
    void handle(std::string method, handler fn, run_on where = run_on::pool);
    void handle_async(std::string method, async_handler fn);
    void handle_raw(raw_handler fn, run_on where = run_on::pool);
    worker_hooks& hooks() noexcept;

    // Connects and serves on background threads; returns at once.
    void start();
    // Graceful stop: asks brokers for no new requests, lets in-flight ones
    // finish (up to drain_timeout), then sends DISCONNECT. Returns at once;
    // any thread may call it, a signal handler too.
    void stop() noexcept;
    // Blocks until the worker has stopped.
    void wait();
    // start(), then wait().
    void run();

    worker_stats stats() const noexcept;
    const worker_options& options() const noexcept;

    // Taking new requests or not (sky register/unregister): an unregistered
    // worker stays connected and finishes what it holds, and its brokers send
    // it nothing new until it is registered again. Any thread.
    void set_registered(bool registered);
    // Its id in the registry; its sockets' routing ids begin with it.
    const std::string& instance_id() const noexcept;
    // "name@version", or "name".
    std::string announced_name() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet
