#pragma once
// A request as a handler sees it, and the responder through which an
// asynchronous handler answers it.
//
// What stays valid when:
// - A synchronous handler's `const request&` lives until the handler
//   returns. An asynchronous handler's request lives in its responder
//   (responder::request()) as long as the responder does, and moves with it.
// - The views a request returns (method(), request_id(), origin(),
//   traceparent(), parent(), params(), frames()) point into its frames:
//   valid while the request lives where it is. Moving the responder (into
//   a callback, say) moves them: take what the call needs first (auto o =
//   answer.request().call_options(); copy params or ids you keep).
// - context() and call_options() are values: they outlive the request.
// - A responder answers once, from any thread; later answers are ignored,
//   and one destroyed unanswered answers SERVICE_ERROR. It may outlive the
//   worker: an answer made after the worker stopped is dropped.
// - client() is valid until the worker's wait() returns (the worker then
//   ends the calls still out with UNAVAILABLE). Its callbacks run on the
//   client's thread and must not block (client.hpp).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <zmq.hpp>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/call_context.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/codec.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/metadata.hpp"
#include "skynet/bus/result.hpp"
#include "skynet/client/client.hpp"

namespace skynet {

namespace worker_detail {
class request_builder;
struct shared_state;
struct cancel_slot;
}  // namespace worker_detail

// One request. It owns its frames: the views it returns live as long as it.
// Envelope requests (our clients) have a method, params and the header
// fields; raw requests (plain MDP clients) have only frames().
class request {
public:
    request(request&&) noexcept = default;
    request& operator=(request&&) noexcept = default;

    bool is_raw() const noexcept { return raw_; }
    std::string_view method() const noexcept { return text(method_); }
    std::string_view request_id() const noexcept { return text(request_id_); }
    std::string_view origin() const noexcept { return text(origin_); }
    std::string_view traceparent() const noexcept { return text(traceparent_); }
    std::string_view parent() const noexcept { return text(parent_); }
    std::int32_t retry() const noexcept { return retry_; }
    bool idempotent() const noexcept { return idempotent_; }

    // When the caller stops waiting: time_point::max() if it set no budget.
    bus::time_point deadline() const noexcept { return deadline_; }
    // The budget left, never negative.
    std::chrono::milliseconds remaining() const noexcept;
    bool expired() const noexcept { return bus::clock::now() >= deadline_; }
    bus::time_point received_at() const noexcept { return received_; }

    // The params document (empty for raw requests). Valid while this request
    // lives and stays where it is.
    bus::bson_view params() const noexcept;
    // The body frames of a raw request (empty for envelope requests).
    std::span<const zmq::message_t> frames() const noexcept { return raw_frames_; }

    // For calls made while serving this request: they inherit its deadline
    // and name it as their parent. A copy: it outlives the request.
    bus::call_context context() const {
        return {deadline_, std::string(request_id()), std::string(traceparent())};
    }

    // --- Cancellation and metadata (docs/design.md, "Cancellation") ---
    // The caller's metadata (call_options::metadata): the value of the
    // first pair named `key`, or nothing; and every pair, in the caller's
    // order. Views into this request: they live as long as it does.
    std::optional<std::string_view> metadata(std::string_view key) const noexcept {
        return metadata().find(key);
    }
    bus::metadata_view metadata() const noexcept;
    // True once the caller gave this call up (call_handle::cancel): its
    // answer will be dropped, so a long handler may stop early. Any thread,
    // one atomic load. Meaningful until the request is answered (false
    // after). Plain 7/MDP brokers never say; expired() tells the other way
    // a caller stops waiting.
    bool cancelled() const noexcept;
    // --- nested calls: another service, in one line --------------------
    // The worker's own client, made on first use and shared by all its
    // handlers: the worker's ZeroMQ context, brokers and registry (redis,
    // prefix, region). Valid until the worker's wait() returns; any thread.
    // Throws std::logic_error once the worker has stopped, or for a raw
    // request.
    skynet::client& client() const;
    // Options for a call made while serving this request: parent =
    // context(), so that the call keeps within this request's deadline and
    // carries its trace. Set the rest (idempotent, retries...) on the copy.
    skynet::call_options call_options() const;
    // client().call(...) with call_options(), or with `options` whose
    // parent, when unset, becomes context(). Blocks: from a handler on the
    // pool, not from one on the network thread. Never throws for a stopped
    // worker: the outcome is UNAVAILABLE.
    call_result call(std::string_view service, std::string_view method,
                     const bus::bson_view& params) const;
    call_result call(std::string_view service, std::string_view method,
                     const bus::bson_view& params, skynet::call_options options) const;
    // client().call_async(...) the same way; `done` runs on the client's
    // thread (client.hpp), or at once with UNAVAILABLE once the worker has
    // stopped. For async handlers: capture the responder in `done`.
    void call_async(std::string_view service, std::string_view method, const bus::bson_view& params,
                    call_callback done) const;
    void call_async(std::string_view service, std::string_view method, const bus::bson_view& params,
                    skynet::call_options options, call_callback done) const;

private:
    friend class worker_detail::request_builder;
    request() = default;

    // A field's place in the header frame. Offsets, not views, so that moving
    // the request (and a small frame's inline bytes with it) keeps them right.
    struct field_span {
        std::uint32_t offset = 0;
        std::uint32_t length = 0;
    };
    std::string_view text(field_span f) const noexcept {
        return std::string_view(static_cast<const char*>(header_.data()) + f.offset, f.length);
    }

    // The frame holding the header: its own, or the batch frame it came in
    // (shared, not copied), which then holds the params too.
    zmq::message_t header_;
    zmq::message_t params_;  // a frame of its own; empty for a batch record
    bus::frames raw_frames_;
    field_span method_, request_id_, origin_, traceparent_, parent_;
    field_span params_at_;  // in params_, or in header_ for a batch record
    bool in_batch_ = false;
    std::int32_t retry_ = 0;
    bool idempotent_ = false;
    bool raw_ = false;
    bus::time_point deadline_ = bus::time_point::max();
    bus::time_point received_{};
    // Cancellation and metadata: the "meta" sub-document in header_, and
    // this request's cancel mark (cancel_table.hpp) once dispatched.
    field_span metadata_;
    const worker_detail::cancel_slot* cancel_slot_ = nullptr;
    std::uint64_t cancel_generation_ = 0;
    // The worker's state, for client(): it outlives every request (a
    // responder holds a share; a handler's request dies before the worker).
    worker_detail::shared_state* worker_ = nullptr;
};

// Where a reply goes: the connection a request came on, and the client
// address the broker gave it.
struct reply_route {
    std::uint32_t connection = 0;
    std::uint32_t epoch = 0;  // the connection's socket generation
    zmq::message_t address;
    bool batched = false;                     // the request came in a batch frame: so may its reply
    std::uint32_t cancel_index = UINT32_MAX;  // its cancel_table slot, closed with the reply
};

// The answer to one request, owed exactly once. Move-only; reply() or fail()
// may be called from any thread. Destroyed without either, it answers
// SERVICE_ERROR, so that a forgotten responder never leaves a caller waiting.
class responder {
public:
    responder(std::shared_ptr<worker_detail::shared_state> state, reply_route route,
              class request req);
    responder(responder&&) noexcept = default;
    responder& operator=(responder&&) noexcept;
    responder(const responder&) = delete;
    responder& operator=(const responder&) = delete;
    ~responder();

    const class request& request() const noexcept { return request_; }

    // Each ends the request; later calls are ignored.
    void reply(bus::bson_doc result);
    void reply_raw(bus::frames body);  // for raw requests: plain frames back
    void fail(bus::errc code, std::string_view message);
    // reply() with the value, or fail() with the error.
    void complete(bus::result<bus::bson_doc> outcome);

    // --- typed replies (worker.hpp: typed handlers) ---
    // reply() with a value of a type that has a codec<T>, encoded.
    template <bson_codable T>
    requires(!std::is_same_v<T, bus::bson_doc>) void reply(const T& value) {
        reply(to_bson(value));
    }

    bool done() const noexcept { return state_ == nullptr; }

private:
    std::shared_ptr<worker_detail::shared_state> state_;  // null once answered
    reply_route route_;
    class request request_;
};

}  // namespace skynet
