#include "skynet/client/client.hpp"

#include <atomic>
#include <optional>

#include "call_extras.hpp"
#include "cancel_gate.hpp"
#include "check_options.hpp"
#include "engine.hpp"
#include "skynet/bus/service_name.hpp"
#include "skynet/registry/broker_follower.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet {

class client::engine : public client_detail::engine {
    using client_detail::engine::engine;
};

// Brokers from the registry, handed to the engine as the set changes.
class client::discovery {
public:
    discovery(const client_options& options, client_detail::engine& target) {
        auto settings = registry::options_from_url(options.redis, options.redis_prefix);
        if (!settings) {
            throw std::invalid_argument("client: redis: " + settings.err().detail);
        }
        auto policy = client_detail::client_directory_policy(options.region);
        policy.curve_key = options.broker_key;  // pinned: never the registry's word alone
        follower_ = std::make_unique<registry::broker_follower>(
            *settings, std::move(policy),
            [&target](const std::vector<registry::broker_entry>& brokers) {
                target.set_directory(brokers);
            });
        target.follow_registry(follower_.get());
        target_ = &target;
    }
    ~discovery() {
        target_->follow_registry(nullptr);  // before the follower goes
    }
    discovery(const discovery&) = delete;
    discovery& operator=(const discovery&) = delete;

private:
    std::unique_ptr<registry::broker_follower> follower_;
    client_detail::engine* target_ = nullptr;
};

namespace {

// Fills what every call shares: the deadline (the caller's budget, within the
// parent's), idempotency, retries and the parent's names.
client_detail::submission prepare(const client_options& defaults, std::string_view service,
                                  const call_options& options, call_callback&& done) {
    client_detail::submission s;
    s.service = bus::join_service_name(service, options.version);
    const auto now = bus::clock::now();
    const auto timeout = options.timeout.count() > 0 ? options.timeout : defaults.default_timeout;
    s.deadline = now + timeout;
    if (options.parent) {
        s.deadline = std::min(s.deadline, options.parent->deadline);
        s.parent_id = options.parent->request_id;
        s.traceparent = options.parent->traceparent;
    }
    s.idempotent = options.idempotent;
    s.retries = std::max(options.retries, 0);
    s.hedge_after = options.hedge_after;
    s.wait_for_ready = options.wait_for_ready;
    s.done = std::move(done);
    client_detail::add_trace_and_metadata(s, options);
    return s;
}

}  // namespace

bus::bson_doc reply::result() && {
    const auto& self = *this;
    return bus::bson_doc::copy_of(self.result());
}

std::string client::reply_decode_detail(std::string_view service, std::string_view method,
                                        std::string_view why) {
    return "the reply of " + std::string(service) + "." + std::string(method) +
           " does not decode: " + std::string(why);
}

bus::bson_view reply::result() const& noexcept {
    if (body_.size() != 2) {
        return {};
    }
    auto view = bus::bson_view::from_frame(body_[1]);
    return view ? *view : bus::bson_view{};
}

client::client(client_options options) : options_(std::move(options)) {
    client_detail::check_options(options_);
    engine_ = std::make_unique<engine>(options_);
    cancel_gate_ = std::make_shared<client_detail::cancel_gate>(*engine_);
    if (options_.brokers.empty()) {
        discovery_ = std::make_unique<discovery>(options_, *engine_);
    }
}

client::~client() {
    discovery_.reset();  // first: its callbacks reach into the engine
    if (cancel_gate_) {
        cancel_gate_->close();  // before the engine goes: handles cancel nothing from now on
    }
}

call_handle client::call_async(std::string_view service, std::string_view method,
                               const bus::bson_view& params, const call_options& options,
                               call_callback done) {
    // The caller keeps its buffer: the one copy this call makes of it.
    return call_async_frame(service, method, zmq::message_t(params.data(), params.size()), options,
                            std::move(done));
}

call_handle client::call_async(std::string_view service, std::string_view method,
                               bus::bson_doc params, const call_options& options,
                               call_callback done) {
    return call_async_frame(service, method, std::move(params).to_frame(), options,
                            std::move(done));
}

call_handle client::call_async_frame(std::string_view service, std::string_view method,
                                     zmq::message_t params, const call_options& options,
                                     call_callback done) {
    auto s = prepare(options_, service, options, std::move(done));
    s.method = std::string(method);
    s.params = std::move(params);
    s.call_id = cancel_gate_->next_id();
    const auto id = s.call_id;
    engine_->submit(std::move(s));
    return call_handle(cancel_gate_, id);
}

call_result client::call(std::string_view service, std::string_view method,
                         const bus::bson_view& params, const call_options& options) {
    // Borrowed, not copied: this thread waits here until the call has
    // ended, so the caller's bytes outlive every use the engine makes of
    // them (no free function: ZeroMQ never frees them).
    auto* bytes = const_cast<std::uint8_t*>(params.data());
    return call_frame(service, method, zmq::message_t(bytes, params.size(), nullptr, nullptr),
                      options, true);
}

call_result client::call(std::string_view service, std::string_view method, bus::bson_doc params,
                         const call_options& options) {
    return call_frame(service, method, std::move(params).to_frame(), options, false);
}

call_result client::call_frame(std::string_view service, std::string_view method,
                               zmq::message_t params, const call_options& options, bool borrowed) {
    if (engine_->on_engine_thread()) {
        throw std::logic_error("client: synchronous call from a client callback would deadlock");
    }
    auto s = prepare(options_, service, options, {});
    s.method = std::string(method);
    s.params = std::move(params);
    s.params_borrowed = borrowed;
    return engine_->call_and_wait(std::move(s));
}

namespace {

reply value_or_throw(call_result&& outcome) {
    if (!outcome) {
        throw call_error(std::move(outcome).err());
    }
    return std::move(outcome).value();
}

template <class Start>
std::future<call_result> future_of(Start&& start) {
    std::promise<call_result> promise;
    auto future = promise.get_future();
    start([p = std::move(promise)](call_result r) mutable { p.set_value(std::move(r)); });
    return future;
}

}  // namespace

reply client::call_or_throw(std::string_view service, std::string_view method,
                            const bus::bson_view& params, const call_options& options) {
    return value_or_throw(call(service, method, params, options));
}

reply client::call_or_throw(std::string_view service, std::string_view method, bus::bson_doc params,
                            const call_options& options) {
    return value_or_throw(call(service, method, std::move(params), options));
}

std::future<call_result> client::call_future(std::string_view service, std::string_view method,
                                             const bus::bson_view& params,
                                             const call_options& options) {
    return future_of(
        [&](call_callback done) { call_async(service, method, params, options, std::move(done)); });
}

std::future<call_result> client::call_future(std::string_view service, std::string_view method,
                                             bus::bson_doc params, const call_options& options) {
    return future_of([&](call_callback done) {
        call_async(service, method, std::move(params), options, std::move(done));
    });
}

void client::call_raw_async(std::string_view service, bus::frames body, const call_options& options,
                            call_callback done) {
    if (body.empty()) {
        body.emplace_back();  // 7/MDP: a request has one body frame at least
    }
    auto s = prepare(options_, service, options, std::move(done));
    s.raw = true;
    s.raw_body = std::move(body);
    engine_->submit(std::move(s));
}

call_result client::call_raw(std::string_view service, bus::frames body,
                             const call_options& options) {
    if (engine_->on_engine_thread()) {
        throw std::logic_error("client: synchronous call from a client callback would deadlock");
    }
    if (body.empty()) {
        body.emplace_back();  // 7/MDP: a request has one body frame at least
    }
    auto s = prepare(options_, service, options, {});
    s.raw = true;
    s.raw_body = std::move(body);
    return engine_->call_and_wait(std::move(s));
}

client_stats client::stats() const noexcept {
    return engine_->stats();
}

std::string prometheus_text(const client_stats& stats) {
    static constexpr auto table = SKYNET_COUNTER_TABLE(client_stats, SKYNET_CLIENT_COUNTERS);
    std::string out;
    runtime::write_prometheus(table, stats, "skynet_client", out);
    return out;
}

const client_options& client::options() const noexcept {
    return options_;
}

}  // namespace skynet
