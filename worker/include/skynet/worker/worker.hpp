#pragma once
// skynet::worker: a service. It connects to one broker or more, announces
// "name@version" (7/MDP READY), and runs a handler per method for every
// request the brokers send it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/worker/handler_shape.hpp"
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
    // One info line per request on the "worker" logger: method, request id,
    // outcome code and handling time. Off by default: it costs a log line
    // per request.
    bool access_log = false;
    // CURVE (issue #17): this process's key pair and its brokers' public
    // key, Z85 (skynet/security/keys.hpp reads them from key files). Set,
    // every broker connection is CURVE and gets through only to a broker
    // holding that key that lets this key in; all empty: plain. Throws
    // std::invalid_argument from the constructor for a partial set.
    std::string curve_public_key;
    std::string curve_secret_key;
    std::string broker_key;
    // A ZeroMQ context to share with the process's brokers and clients (one
    // set of I/O threads, inproc between them); empty: one of its own,
    // made by the constructor. The worker and its handlers' client
    // (request::client()) share it; the worker holds a share until it is
    // destroyed, so the context outlives their sockets; do not shut it down
    // before then.
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
    // The id to register under; empty: a fresh one. A host daemon (skyd)
    // chooses it, so that a process it restarts comes back under the same
    // id. 1-128 printable ASCII characters, no '/' or space (it begins the
    // worker's routing ids).
    std::string instance_id;
    // The daemon's instance id that manages this process, put in the
    // record's managed_by; empty: not managed.
    std::string managed_by;
    // Where to serve GET /metrics for Prometheus (docs/metrics.md), from
    // start(): "host:port", port 0 for any free one (metrics_address()
    // tells which); empty: no metrics endpoint.
    std::string metrics_listen;
};

// Where a method's handler runs, said once, when it is registered.
enum class run_on {
    pool,       // a handler thread (options.concurrency of them): may block
    io_thread,  // the worker's network thread: must not block; fastest
};

// The synchronous handler of earlier releases: handle() takes it as any
// other callable returning a document.
using handler = std::function<bus::bson_doc(const request&)>;
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
// worker's threads, so they must be thread-safe; they must not block. What
// one throws is logged at error and goes no further. The request a hook is
// given is valid during the call only.
struct worker_hooks {
    std::function<void()> started;
    std::function<void()> stopped;
    std::function<void(const std::string& broker)> registered;    // READY sent
    std::function<void(const std::string& broker)> unregistered;  // connection lost or closed
    std::function<void(const request&)> method_called;
    std::function<void(const request&, std::chrono::nanoseconds, bus::errc)> method_completed;
};

// Threads: handlers run where their registration says (run_on); replies of
// async handlers and handler-pool threads reach the network thread through
// a mailbox. Nothing thrown on a worker thread (a handler, a hook, a
// refused endpoint from the registry) escapes it: it is answered or logged.
// A handler that throws, and a request for a method with no handler, are
// logged at warn on the "worker" logger (at most 10 lines a second of
// each, the rest counted: "suppressed=K" on the next line).
class worker {
public:
    // Throws std::invalid_argument naming the option and its value for
    // unusable options: service name (non-empty, no '@', not mmi.*), each
    // endpoint in brokers (tcp://host:port, ipc://path, inproc://name), no
    // broker and no redis, the redis URL, concurrency (1 to 4096), credit
    // (up to 2^20), liveness, heartbeat, reconnect, drain, stats and lease
    // intervals.
    explicit worker(worker_options options);
    ~worker();  // stop() and wait()
    worker(const worker&) = delete;
    worker& operator=(const worker&) = delete;

    // --- Registration: before start(), from one thread ---------------------
    //
    // handle(method, fn, where) registers `fn` for `method`, to run where
    // `where` says. What `fn` is decides how it answers:
    //
    //   sync   R fn(const request&)
    //   typed  R fn(const In&, const request&)   or   R fn(const In&)
    //     R is the reply: a bson_doc, a result<bson_doc> (an error is the
    //     reply's code and detail), a type with a codec<T>, or a result of
    //     one. Throwing std::exception answers SERVICE_ERROR with its what()
    //     (service_failure: its own code) and is logged at warn.
    //   async  void fn(responder)                or   void fn(const In&, responder)
    //     answers through the responder with reply() or fail(), now or
    //     later, from any thread.
    //
    // A typed handler's params are decoded with codec<In> first: params that
    // do not decode answer BAD_REQUEST, with the codec's detail (naming the
    // field), and `fn` does not run. In is deduced from fn's first parameter;
    // handle<In, Out>(...) states both (Out: what fn returns or replies).
    //
    // Throws std::invalid_argument for an empty method name or one already
    // registered, std::logic_error after start().
    template <class F>
    void handle(std::string method, F&& fn, run_on where = run_on::pool) {
        using bare = std::remove_cvref_t<F>;
        if constexpr (std::is_invocable_v<bare&, responder> &&
                      !std::is_invocable_v<bare&, const request&>) {
            add_async(std::move(method), async_handler(std::forward<F>(fn)), where);
        } else if constexpr (std::is_invocable_v<bare&, const request&>) {
            add_sync(std::move(method), worker_detail::untyped_sync(std::forward<F>(fn)), where);
        } else {
            handle<worker_detail::first_param_t<F>, void>(std::move(method), std::forward<F>(fn),
                                                          where);
        }
    }
    template <class In, class Out, class F>
    void handle(std::string method, F&& fn, run_on where = run_on::pool) {
        using bare = std::remove_cvref_t<F>;
        if constexpr (std::is_invocable_v<bare&, const In&, responder>) {
            add_async(std::move(method), worker_detail::typed_async<In>(std::forward<F>(fn)),
                      where);
        } else {
            static_assert(std::is_invocable_v<bare&, const In&, const request&> ||
                              std::is_invocable_v<bare&, const In&>,
                          "a handler takes (const request&), (responder), (const In&), "
                          "(const In&, const request&) or (const In&, responder)");
            add_sync(std::move(method), worker_detail::typed_sync<In>(std::forward<F>(fn)), where);
        }
    }
    // handle(method, fn, where) for an asynchronous fn; by default on the
    // network thread, where it must not block.
    void handle_async(std::string method, async_handler fn, run_on where = run_on::io_thread);
    // The handler of requests that are not in our envelope (plain MDP
    // clients). One per worker: a second throws std::invalid_argument.
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
    // "host:port" of the /metrics endpoint once started; empty without
    // options.metrics_listen.
    std::string metrics_address() const;
    // "name@version", or "name".
    std::string announced_name() const;

private:
    void add_sync(std::string method, sync_handler fn, run_on where);
    void add_async(std::string method, async_handler fn, run_on where);

    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet
