#pragma once
// skynet::client: calls services through brokers. Every call ends with
// exactly one outcome (docs/design.md): a reply, or an error with a code.

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/call_context.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/result.hpp"
#include "skynet/bus/unique_function.hpp"
#include "skynet/client/client_stats.hpp"

namespace skynet {

struct client_options {
    std::vector<std::string> brokers;  // endpoints, such as tcp://127.0.0.1:5555
    std::string name = "client";       // this caller in origins: "host/pid/name"
    // A broker silent this long is pinged; silent `liveness` times as long,
    // it is dead: its calls move to another broker.
    std::chrono::milliseconds heartbeat{1000};
    int liveness = 3;
    std::chrono::milliseconds default_timeout{5000};
    // The registry (docs/design.md). With no `brokers`, the client finds brokers
    // in Redis at this URL and follows them as they come and go: each call
    // goes to a broker of `region` that serves its service, else to one of
    // another region that does. While Redis is down it keeps the brokers it
    // knew.
    std::string redis;
    std::string redis_prefix = "skynet:";  // of every registry key
    std::string region = "local";
    // A call's params (or a raw call's frames) larger than this end at once
    // in BAD_REQUEST; brokers refuse what is larger than theirs (docs/design.md:
    // every limit answers with a coded error).
    std::size_t max_message_size = 16u << 20;
    // Batch frames with brokers that take them (docs/design.md): the calls
    // that leave in one turn of the client's loop travel in one frame, and
    // so do their replies. Brokers that do not answer 501, and get one
    // message per call as before.
    bool batching = true;
    // A ZeroMQ context to share with the process's brokers and workers (one
    // set of I/O threads); empty: one of its own. The client holds a share
    // until it is destroyed, so the context outlives its sockets; do not
    // shut it down before then.
    std::shared_ptr<zmq::context_t> context;
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
    std::string_view version;  // empty: any version of the service
    // The request being served, when calling from a handler: the call keeps
    // within its deadline and names it as parent.
    const bus::call_context* parent = nullptr;
};

// A reply. It owns its frames; views it returns live as long as it does.
class reply {
public:
    reply() = default;
    explicit reply(bus::frames body) : body_(std::move(body)) {}

    // The result document of an envelope reply (empty for raw replies).
    bus::bson_view result() const noexcept;
    // The body frames: [header, result] for envelope replies, or the frames a
    // plain MDP worker sent.
    std::span<const zmq::message_t> frames() const noexcept { return body_; }
    bus::frames take_frames() && { return std::move(body_); }

private:
    bus::frames body_;
};

using call_result = bus::result<reply>;
using call_callback = bus::unique_function<void(call_result)>;

// Thrown by call_or_throw(): a call that ended in an error code.
class call_error : public std::runtime_error {
public:
    explicit call_error(bus::error e);
    bus::errc code() const noexcept { return error_.code; }
    const bus::error& error() const noexcept { return error_; }

private:
    bus::error error_;
};

// One client may be shared by any number of threads. Callbacks run on the
// thread driving the client's network loop: the client's own thread, or a
// thread waiting in a synchronous call on this client (which drives the loop
// itself while no other thread does, so that its call crosses no thread).
// Callbacks must not block, and must not make synchronous calls on this
// client (that throws std::logic_error).
class client {
public:
    // Throws std::invalid_argument if no broker is given and no registry to
    // find them in, or for an unusable registry URL.
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
    // The same, answered through `done` on the client's thread.
    void call_async(std::string_view service, std::string_view method, const bus::bson_view& params,
                    const call_options& options, call_callback done);
    std::future<call_result> call_future(std::string_view service, std::string_view method,
                                         const bus::bson_view& params,
                                         const call_options& options = {});

    // A plain 7/MDP call: frames in, the reply's frames out, for services
    // with a raw handler or plain MDP workers. One socket per call in flight.
    call_result call_raw(std::string_view service, bus::frames body,
                         const call_options& options = {});
    void call_raw_async(std::string_view service, bus::frames body, const call_options& options,
                        call_callback done);

    client_stats stats() const noexcept;
    const client_options& options() const noexcept;

private:
    class engine;
    class discovery;
    std::unique_ptr<engine> engine_;
    std::unique_ptr<discovery> discovery_;  // with options.redis and no brokers
    client_options options_;
};

}  // namespace skynet
