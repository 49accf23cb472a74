#include "skynet/worker/request.hpp"

#include "request_builder.hpp"
#include "shared_state.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet {

std::chrono::milliseconds request::remaining() const noexcept {
    return std::chrono::milliseconds(bus::millis_left(deadline_, bus::clock::now()));
}

bus::bson_view request::params() const noexcept {
    // Made on each call: a small frame keeps its bytes inline, so they move
    // with the request. The builder checked the length prefix and terminator.
    if (raw_) {
        return {};
    }
    const auto& frame = in_batch_ ? header_ : params_;
    auto view = bus::bson_view::from_bytes(
        static_cast<const char*>(frame.data()) + params_at_.offset, params_at_.length);
    return view ? *view : bus::bson_view{};
}

bus::metadata_view request::metadata() const noexcept {
    // Validated by the header's decoder; read again in place (no copy).
    return metadata_.length == 0 ? bus::metadata_view{}
                                 : bus::metadata_view::of_document(text(metadata_));
}

bool request::cancelled() const noexcept {
    return cancel_slot_ != nullptr &&
           cancel_slot_->state.load(std::memory_order_acquire) == (cancel_generation_ | 1);
}

namespace worker_detail {

namespace rpc = bus::rpc;

void request_builder::watch_cancel(request& r, const cancel_slot& slot) noexcept {
    r.cancel_slot_ = &slot;
    r.cancel_generation_ = slot.state.load(std::memory_order_relaxed) & ~std::uint64_t{1};
}

bus::result<request> request_builder::envelope(bus::message_view& body, bus::time_point now,
                                               bool& ours) {
    const auto header = body[0];
    const auto params = body[1];
    if (!body.batched()) {
        // Offsets from the header frame's start: right once the frame moves.
        auto built = envelope(header, params, header.data(), now, ours);
        if (built) {
            built->params_at_ = {0, static_cast<std::uint32_t>(params.size())};
            built->header_ = body.take(0);
            built->params_ = body.take(1);
        }
        return built;
    }
    auto& carrier = *body.carrier();
    auto built = envelope(header, params, carrier.data(), now, ours);
    if (built) {
        const auto* base = static_cast<const char*>(carrier.data());
        built->params_at_ = {static_cast<std::uint32_t>(params.data() - base),
                             static_cast<std::uint32_t>(params.size())};
        built->header_.copy(carrier);  // shared, not copied
        built->in_batch_ = true;
    }
    return built;
}

// The fields' offsets are taken from `base`, the start of the frame the
// header lies in: they stay right once that frame moves into the request.
bus::result<request> request_builder::envelope(std::string_view header, std::string_view params,
                                               const void* base_address, bus::time_point now,
                                               bool& ours) {
    auto decoded = rpc::decode_request_header(header);
    ours = decoded.ok();
    if (!decoded) {
        return decoded.err();
    }
    // Only the length prefix and terminator are checked here, not every
    // element (bson_validate walks the whole payload, UTF-8 included, and cost
    // more than the rest of the request's path): bson_view reads are
    // bounds-checked, so a corrupt element reads as absent, never out of bounds.
    auto view = bus::bson_view::from_bytes(params.data(), params.size());
    if (!view) {
        return bus::error{bus::errc::bad_request, "params: " + view.err().detail};
    }
    request r;
    auto base = static_cast<const char*>(base_address);
    auto span_of = [&](std::string_view v) {
        return request::field_span{static_cast<std::uint32_t>(v.empty() ? 0 : v.data() - base),
                                   static_cast<std::uint32_t>(v.size())};
    };
    r.method_ = span_of(decoded->method);
    r.request_id_ = span_of(decoded->request_id);
    r.origin_ = span_of(decoded->origin);
    r.traceparent_ = span_of(decoded->traceparent);
    r.parent_ = span_of(decoded->parent);
    r.metadata_ = span_of(decoded->metadata.document());
    r.retry_ = decoded->retry;
    r.idempotent_ = decoded->idempotent;
    r.received_ = now;
    if (decoded->timeout_ms) {
        r.deadline_ = bus::deadline_after(*decoded->timeout_ms, now);
    }
    return r;
}

request request_builder::raw(bus::message_view& body, bus::time_point now) {
    request r;
    r.raw_ = true;
    r.received_ = now;
    r.raw_frames_.reserve(body.size());
    body.take_all(r.raw_frames_);
    return r;
}

void append_reply(bus::frames& out, std::string_view request_id, bus::errc code,
                  std::string_view error, zmq::message_t&& result) {
    out.push_back(rpc::encode_reply_header({request_id, code, error}));
    out.push_back(std::move(result));
}

void complete(shared_state& state, reply_route&& route, const request& req, bus::frames&& body,
              bus::errc code) {
    if (code != bus::errc::ok) {
        worker_counters::add(state.stats.errors);
    }
    record_completion(state, req, code, code != bus::errc::ok ? reply_error(body) : "");
    state.completions.push(completion{std::move(route), std::move(body)});
}

std::string_view reply_error(const bus::frames& body) noexcept {
    if (body.empty()) {
        return {};
    }
    auto header = rpc::decode_reply_header(body[0]);
    return header ? header->error : std::string_view();
}

void record_completion(shared_state& state, const request& req, bus::errc code,
                       std::string_view error) {
    const auto took = bus::clock::now() - req.received_at();
    const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(took).count(), 0));
    state.latency.record(micros);
    state.methods.record(req.method(), req.is_raw(), code, micros);
    if (code != bus::errc::ok) {
        state.methods.failed(code, error);  // the error path only: it takes a lock
    }
    state.last_request_ns.store(req.received_at().time_since_epoch().count(),
                                std::memory_order_relaxed);
    run_hook(state.hooks.method_completed, "method_completed", req, took, code);
    state.log.finished(req.method(), req.request_id(), code, took);
}

}  // namespace worker_detail

responder::responder(std::shared_ptr<worker_detail::shared_state> state, reply_route route,
                     class request req)
    : state_(std::move(state)), route_(std::move(route)), request_(std::move(req)) {}

responder& responder::operator=(responder&& other) noexcept {
    if (this != &other) {
        if (!done()) {
            fail(bus::errc::service_error, "handler dropped its responder without replying");
        }
        state_ = std::move(other.state_);
        route_ = std::move(other.route_);
        request_ = std::move(other.request_);
    }
    return *this;
}

responder::~responder() {
    if (!done()) {
        fail(bus::errc::service_error, "handler dropped its responder without replying");
    }
}

void responder::reply(bus::bson_doc result) {
    if (done()) {
        return;
    }
    auto state = std::move(state_);
    bus::frames body;
    worker_detail::append_reply(body, request_.request_id(), bus::errc::ok, {},
                                std::move(result).to_frame());
    worker_detail::complete(*state, std::move(route_), request_, std::move(body), bus::errc::ok);
}

void responder::reply_raw(bus::frames body) {
    if (done()) {
        return;
    }
    auto state = std::move(state_);
    if (body.empty()) {
        body.emplace_back();  // 7/MDP: a reply has one body frame at least
    }
    worker_detail::complete(*state, std::move(route_), request_, std::move(body), bus::errc::ok);
}

void responder::fail(bus::errc code, std::string_view message) {
    if (done()) {
        return;
    }
    auto state = std::move(state_);
    bus::frames body;
    worker_detail::append_reply(body, request_.request_id(), code, message,
                                bus::rpc::empty_document_frame());
    worker_detail::complete(*state, std::move(route_), request_, std::move(body), code);
}

void responder::complete(bus::result<bus::bson_doc> outcome) {
    if (outcome) {
        reply(std::move(outcome).value());
    } else {
        fail(outcome.err().code, outcome.err().detail);
    }
}

}  // namespace skynet
