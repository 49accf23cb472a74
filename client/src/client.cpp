#include "skynet/client/client.hpp"

#include <atomic>
#include <optional>

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
        follower_ = std::make_unique<registry::broker_follower>(
            *settings, client_detail::client_directory_policy(options.region),
            [&target](const std::vector<registry::broker_entry>& brokers) {
                target.set_directory(brokers);
            });
    }

private:
    std::unique_ptr<registry::broker_follower> follower_;
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
    if (options.parent != nullptr) {
        s.deadline = std::min(s.deadline, options.parent->deadline);
        s.parent_id = std::string(options.parent->request_id);
        s.traceparent = std::string(options.parent->traceparent);
    }
    s.idempotent = options.idempotent;
    s.retries = std::max(options.retries, 0);
    s.hedge_after = options.hedge_after;
    s.done = std::move(done);
    return s;
}

}  // namespace

bus::bson_view reply::result() const noexcept {
    if (body_.size() != 2) {
        return {};
    }
    auto view = bus::bson_view::from_frame(body_[1]);
    return view ? *view : bus::bson_view{};
}

call_error::call_error(bus::error e)
    : std::runtime_error(std::string(bus::to_string(e.code)) + ": " + e.detail),
      error_(std::move(e)) {}

client::client(client_options options) : options_(std::move(options)) {
    if (options_.brokers.empty() && options_.redis.empty()) {
        throw std::invalid_argument(
            "client: at least one broker endpoint is needed, or a registry to find them in");
    }
    if (options_.heartbeat.count() <= 0 || options_.liveness < 1) {
        throw std::invalid_argument("client: heartbeat and liveness must be positive");
    }
    engine_ = std::make_unique<engine>(options_);
    if (options_.brokers.empty()) {
        discovery_ = std::make_unique<discovery>(options_, *engine_);
    }
}

client::~client() {
    discovery_.reset();  // first: its callbacks reach into the engine
}

void client::call_async(std::string_view service, std::string_view method,
                        const bus::bson_view& params, const call_options& options,
                        call_callback done) {
    auto s = prepare(options_, service, options, std::move(done));
    s.method = std::string(method);
    s.params = zmq::message_t(params.data(), params.size());
    engine_->submit(std::move(s));
}

call_result client::call(std::string_view service, std::string_view method,
                         const bus::bson_view& params, const call_options& options) {
    if (engine_->on_engine_thread()) {
        throw std::logic_error("client: synchronous call from a client callback would deadlock");
    }
    auto s = prepare(options_, service, options, {});
    s.method = std::string(method);
    s.params = zmq::message_t(params.data(), params.size());
    return engine_->call_and_wait(std::move(s));
}

reply client::call_or_throw(std::string_view service, std::string_view method,
                            const bus::bson_view& params, const call_options& options) {
    auto outcome = call(service, method, params, options);
    if (!outcome) {
        throw call_error(std::move(outcome).err());
    }
    return std::move(outcome).value();
}

std::future<call_result> client::call_future(std::string_view service, std::string_view method,
                                             const bus::bson_view& params,
                                             const call_options& options) {
    std::promise<call_result> promise;
    auto future = promise.get_future();
    call_async(service, method, params, options,
               [p = std::move(promise)](call_result r) mutable { p.set_value(std::move(r)); });
    return future;
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
