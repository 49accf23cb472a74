#pragma once
// A request as a handler sees it, and the responder through which an
// asynchronous handler answers it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <zmq.hpp>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/call_context.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/result.hpp"

namespace skynet {

namespace worker_detail {
class request_builder;
struct shared_state;
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
    // and name it as their parent. Valid while this request lives.
    bus::call_context context() const noexcept { return {deadline_, request_id(), traceparent()}; }

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
};

// Where a reply goes: the connection a request came on, and the client
// address the broker gave it.
struct reply_route {
    std::uint32_t connection = 0;
    std::uint32_t epoch = 0;  // the connection's socket generation
    zmq::message_t address;
    bool batched = false;  // the request came in a batch frame: so may its reply
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

    bool done() const noexcept { return state_ == nullptr; }

private:
    std::shared_ptr<worker_detail::shared_state> state_;  // null once answered
    reply_route route_;
    class request request_;
};

}  // namespace skynet
