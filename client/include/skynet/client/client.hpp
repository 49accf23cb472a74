#pragma once
// skynet::client: calls services through brokers. Every call ends with
// exactly one outcome (docs/design.md): a reply, or an error with a code.

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/call_context.hpp"
#include "skynet/bus/codec.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/metadata.hpp"
#include "skynet/bus/result.hpp"
#include "skynet/bus/unique_function.hpp"
#include "skynet/client/client_stats.hpp"

namespace skynet {

// Checked by the client's constructor: a value it cannot use throws
// std::invalid_argument naming the option and the value.
struct client_options {
    // Endpoints: tcp://host:port, ipc://path or inproc://name.
    std::vector<std::string> brokers = {};
    std::string name = "client";  // this caller in origins: "host/pid/name"
    // A broker silent this long is pinged; silent `liveness` times as long,
    // it is dead: its calls move to another broker.
    std::chrono::milliseconds heartbeat{1000};
    int liveness = 3;
    std::chrono::milliseconds default_timeout{5000};
    // CURVE (issue #17): this process's key pair and its brokers' public
    // key, Z85 (skynet/security/keys.hpp reads them from key files). Set,
    // every broker connection is CURVE and gets through only to a broker
    // holding that key that lets this key in; all empty: plain. Throws
    // std::invalid_argument from the constructor for a partial set.
    std::string curve_public_key;
    std::string curve_secret_key;
    std::string broker_key;
    // The registry (docs/design.md). With no `brokers`, the client finds brokers
    // in Redis at this URL and follows them as they come and go: each call
    // goes to a broker of `region` that serves its service, else to one of
    // another region that does. While Redis is down it keeps the brokers it
    // knew.
    std::string redis = {};
    std::string redis_prefix = "skynet:";  // of every registry key
    std::string region = "local";
    // A call to a service no broker in the registry serves waits this long
    // for the registry to list one (its news takes tens of milliseconds: a
    // worker that just started), then ends UNKNOWN_SERVICE.
    std::chrono::milliseconds unknown_service_wait{250};
    // A call's params (or a raw call's frames) larger than this end at once
    // in BAD_REQUEST; brokers refuse what is larger than theirs (docs/design.md:
    // every limit answers with a coded error).
    std::size_t max_message_size = 16u << 20;
    // Batch frames with brokers that take them (docs/design.md): the calls
    // that leave in one turn of the client's loop travel in one frame, and
    // so do their replies. Brokers that do not answer 501, and get one
    // message per call as before.
    bool batching = true;
    // The retry budget, so that retries cannot multiply an outage: one
    // client holds `retry_budget` tokens at most, and starts full; each
    // retry after UNAVAILABLE or OVERLOADED (call_options::retries) takes
    // one, each call that succeeds gives back `retry_refill`. A retry with
    // no token left is not made: the call ends with the error it got. So
    // with the defaults, 20,000 calls that all fail OVERLOADED make 10
    // retries in all, however large their `retries`; once calls succeed
    // again, one retry is earned per 10 successes. Moving a call to another
    // broker that may take it (one was draining) costs no token.
    double retry_budget = 10;
    double retry_refill = 0.1;
    // A ZeroMQ context to share with the process's brokers and workers (one
    // set of I/O threads); empty: one of its own. The client holds a share
    // until it is destroyed, so the context outlives its sockets; do not
    // shut it down before then.
    std::shared_ptr<zmq::context_t> context = {};
};

struct call_options {
    std::chrono::milliseconds timeout{0};  // 0: the client's default
    // Safe to run twice: the bus may re-run it when a worker or broker dies.
    bool idempotent = false;
    // Further attempts after UNAVAILABLE or OVERLOADED (the request did not
    // run), with exponential backoff, within the deadline and a retry budget.
    int retries = 0;
    // Hedging, for idempotent calls (the original Skynet's Send; without it,
    // its SendOnce): with no reply after this long, a second copy goes out,
    // to another broker if one serves the service, else to the same broker,
    // which gives it to another worker. The first reply wins; the later one
    // is dropped by its request_id. An error that means the copy did not run
    // (UNAVAILABLE, OVERLOADED, WORKER_LOST, UNKNOWN_SERVICE) waits for the
    // other copy. 0: never. Ignored for calls not idempotent and raw calls.
    std::chrono::milliseconds hedge_after{0};
    std::string version = {};  // empty: any version of the service
    // The request being served, when calling from a handler: the call keeps
    // within its deadline and names it as parent.
    std::optional<bus::call_context> parent = {};
    // gRPC's wait-for-ready. Off: a call while every broker it could go to
    // is lost (declared dead, or its connection broken) ends UNAVAILABLE at
    // once. On: it waits, within its deadline, for a broker to take it.
    bool wait_for_ready = false;
    // --- Cancellation, metadata and tracing (docs/design.md) ---
    // String pairs for the handler (request::metadata), carried in the
    // request header in this order. Empty: none, at no cost. A key holding
    // a NUL byte throws std::invalid_argument when the call is made.
    bus::metadata_list metadata = {};
    // A W3C traceparent for this call; a malformed one throws
    // std::invalid_argument when the call is made. Empty: the parent's, if
    // there is a parent; else a new one if start_trace, else none.
    std::string traceparent = {};
    bool start_trace = false;  // a fresh traceparent (bus::new_traceparent)
};

namespace client_detail {
struct cancel_gate;
}  // namespace client_detail

// A call made by call_async, to give up. A small value: copy it freely, or
// ignore it. Default-constructed, or of a client since destroyed, it
// cancels nothing.
class call_handle {
public:
    call_handle() = default;
    // Any thread, any number of times. If the call has not ended yet, it ends
    // now with CANCELLED (its callback runs once, with that, on the client's
    // thread), and the broker holding it is told (mmi.cancel): it drops it if
    // still queued, or its handler sees request::cancelled(); a reply that
    // comes later is dropped. If the call has ended already (its callback
    // ran, or is running), nothing happens: a call ends exactly once.
    void cancel() const noexcept;

private:
    friend class client;
    call_handle(std::weak_ptr<client_detail::cancel_gate> gate, std::uint64_t id) noexcept
        : gate_(std::move(gate)), id_(id) {}
    std::weak_ptr<client_detail::cancel_gate> gate_;
    std::uint64_t id_ = 0;
};

// A reply. It owns its frames; views it returns live as long as it does,
// and a temporary reply hands out values instead (no view of it can
// outlive the statement): `auto r = c.call(...).value().result();` owns
// its document.
class reply {
public:
    reply() = default;
    explicit reply(bus::frames body) : body_(std::move(body)) {}

    // The result document of an envelope reply (empty for raw replies): a
    // view valid while this reply lives, or, from a temporary reply, a copy.
    bus::bson_view result() const& noexcept;
    bus::bson_doc result() &&;
    // The body frames: [header, result] for envelope replies, or the frames a
    // plain MDP worker sent; valid while this reply lives. From a temporary,
    // take_frames() instead.
    std::span<const zmq::message_t> frames() const& noexcept { return body_; }
    std::span<const zmq::message_t> frames() && = delete;
    bus::frames take_frames() && { return std::move(body_); }

private:
    bus::frames body_;
};

using call_result = bus::result<reply>;
using call_callback = bus::unique_function<void(call_result)>;

// What stays valid when:
// - call(): its arguments (params, options, names) only while it runs; the
//   reply it returns owns its frames, and a view from it (result(),
//   frames()) lives as long as that reply object.
// - call_async()/call_future(): the arguments are copied or moved before
//   they return; a bson_view given as params may die at once.
// - a callback's result is its own: move the reply out to keep it.
// - call_options owns what it holds (version, parent): set it from
//   temporaries freely.
//
// One client may be shared by any number of threads. Callbacks run on the
// thread driving the client's network loop: the client's own thread, or a
// thread waiting in a synchronous call on this client (which drives the loop
// itself while no other thread does, so that its call crosses no thread).
// Callbacks must not block, and must not make synchronous calls on this
// client (that throws std::logic_error).
class client {
public:
    // Throws std::invalid_argument naming the option and its value: a
    // broker that is not an endpoint, an unusable registry URL, no broker
    // and no registry, an empty name or region, a timeout, heartbeat or
    // liveness that is not positive, a negative retry budget.
    explicit client(client_options options);
    ~client();  // ends every call still running with UNAVAILABLE
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // A call through our envelope: `params` in, the result document out.
    // Blocks the calling thread until the call's one outcome.
    call_result call(std::string_view service, std::string_view method,
                     const bus::bson_view& params, const call_options& options = {});
    reply call_or_throw(std::string_view service, std::string_view method,
                        const bus::bson_view& params, const call_options& options = {});
    // The same, answered through `done` on the client's thread; the handle
    // cancels it.
    call_handle call_async(std::string_view service, std::string_view method,
                           const bus::bson_view& params, const call_options& options,
                           call_callback done);
    std::future<call_result> call_future(std::string_view service, std::string_view method,
                                         const bus::bson_view& params,
                                         const call_options& options = {});
    // The same, with a document the caller hands over: its buffer becomes
    // the request's frame instead of being copied (bson_doc::to_frame).
    call_result call(std::string_view service, std::string_view method, bus::bson_doc params,
                     const call_options& options = {});
    reply call_or_throw(std::string_view service, std::string_view method, bus::bson_doc params,
                        const call_options& options = {});
    call_handle call_async(std::string_view service, std::string_view method, bus::bson_doc params,
                           const call_options& options, call_callback done);
    std::future<call_result> call_future(std::string_view service, std::string_view method,
                                         bus::bson_doc params, const call_options& options = {});

    // call_future with a handle to cancel the call: `handle` is set before
    // the call can end (a cancelled call's future holds CANCELLED).
    std::future<call_result> call_future(std::string_view service, std::string_view method,
                                         bus::bson_doc params, const call_options& options,
                                         call_handle& handle);
    // Typed calls: `params` encoded and the result decoded by codec<T>
    // (skynet/bus/codec.hpp). A result that does not decode ends the call
    // in BAD_REQUEST, its detail naming the service, method and field.
    template <bson_codable Reply, bson_codable Request>
    result<Reply> call(std::string_view service, std::string_view method, const Request& params,
                       const call_options& options = {}) {
        auto outcome = call(service, method, to_bson(params), options);
        if (!outcome) {
            return std::move(outcome).err();
        }
        return decode_reply<Reply>(*outcome, service, method);
    }
    template <bson_codable Reply, bson_codable Request>
    call_handle call_async(std::string_view service, std::string_view method, const Request& params,
                           const call_options& options,
                           bus::unique_function<void(result<Reply>)> done) {
        return call_async(service, method, to_bson(params), options,
                          [done = std::move(done), service = std::string(service),
                           method = std::string(method)](call_result outcome) mutable {
                              if (!outcome) {
                                  done(std::move(outcome).err());
                              } else {
                                  done(decode_reply<Reply>(*outcome, service, method));
                              }
                          });
    }
    template <bson_codable Reply, bson_codable Request>
    std::future<result<Reply>> call_future(std::string_view service, std::string_view method,
                                           const Request& params,
                                           const call_options& options = {}) {
        std::promise<result<Reply>> promise;
        auto future = promise.get_future();
        call_async<Reply>(
            service, method, params, options,
            [p = std::move(promise)](result<Reply> r) mutable { p.set_value(std::move(r)); });
        return future;
    }

    // A plain 7/MDP call: frames in, the reply's frames out, for services
    // with a raw handler or plain MDP workers. One socket per call in flight.
    call_result call_raw(std::string_view service, bus::frames body,
                         const call_options& options = {});
    void call_raw_async(std::string_view service, bus::frames body, const call_options& options,
                        call_callback done);

    client_stats stats() const noexcept;
    const client_options& options() const noexcept;

private:
    // A reply's result as a Reply, or BAD_REQUEST naming what did not decode.
    template <class Reply>
    static result<Reply> decode_reply(const reply& r, std::string_view service,
                                      std::string_view method) {
        auto decoded = from_bson<Reply>(r.result());
        if (!decoded) {
            return bus::error{bus::errc::bad_request,
                              reply_decode_detail(service, method, decoded.err().detail)};
        }
        return decoded;
    }
    static std::string reply_decode_detail(std::string_view service, std::string_view method,
                                           std::string_view why);

    // Every envelope call, its params in a frame of their own (`borrowed`:
    // one viewing the caller's bytes).
    call_result call_frame(std::string_view service, std::string_view method, zmq::message_t params,
                           const call_options& options, bool borrowed);
    call_handle call_async_frame(std::string_view service, std::string_view method,
                                 zmq::message_t params, const call_options& options,
                                 call_callback done);

    class engine;
    class discovery;
    std::unique_ptr<engine> engine_;
    std::unique_ptr<discovery> discovery_;  // with options.redis and no brokers
    client_options options_;
    // Where call handles reach the engine, while this client lives.
    std::shared_ptr<client_detail::cancel_gate> cancel_gate_;
};

// The code's wire spelling, "UNAVAILABLE", for users of skynet:: alone.
using bus::to_string;

}  // namespace skynet
