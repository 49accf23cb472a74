#include "skynet/broker/broker.hpp"

#include <mutex>

#include "broker_core.hpp"
#include "broker_metrics.hpp"
#include "counters.hpp"
#include "scrape_desk.hpp"
#include "skynet/metrics/exposer.hpp"
#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/runtime/event_fd.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/sockets.hpp"
#include "skynet/security/keys.hpp"
#include "skynet/security/zap_handler.hpp"

namespace skynet {

using broker_detail::broker_core;
using broker_detail::counters;

namespace {
std::int64_t max_frame_size(std::size_t max_message_size) {
    constexpr std::size_t no_limit = std::size_t{1} << 62;
    return static_cast<std::int64_t>(std::min(max_message_size, no_limit / 4) * 4);
}

runtime::socket_options router_options(const broker_options& o) {
    runtime::socket_options s;
    s.high_water_mark = o.high_water_mark;
    s.linger = std::chrono::milliseconds(1000);  // time for the last answers to leave on close
    // Sends to a peer that is gone fail instead of vanishing, so that they are
    // counted; with non-blocking sends, so do sends to a peer not reading.
    s.router_mandatory = true;
    s.max_frame_size = max_frame_size(o.max_message_size);
    if (!o.curve_secret_key.empty()) {
        s.curve_server = true;
        s.curve_secret_key = o.curve_secret_key;
    }
    return s;
}

// The ZAP handler of a CURVE broker, bound on its context before the ROUTER
// is: a CURVE socket with no handler to ask would refuse everyone.
std::unique_ptr<security::zap_handler> zap_for(const broker_options& o, zmq::context_t& context) {
    if (o.curve_secret_key.empty()) {
        return nullptr;
    }
    auto keys = o.allowed_keys;
    if (keys == nullptr) {
        keys = std::make_shared<const security::allowed_keys>();
    }
    return std::make_unique<security::zap_handler>(context, std::move(keys));
}

// True for a bind any other machine can reach: TCP on an address that is
// not loopback (a wildcard, a name, another address).
bool reachable_from_outside(std::string_view bind) {
    constexpr std::string_view tcp = "tcp://";
    if (!bind.starts_with(tcp)) {
        return false;
    }
    const auto host = bind.substr(tcp.size(), bind.rfind(':') - tcp.size());
    return !(host.starts_with("127.") || host == "localhost" || host == "[::1]");
}

// A malformed bind is the caller's mistake, named as such, not ZeroMQ's
// unnamed "Invalid argument".
broker_options checked(broker_options o) {
    runtime::check_endpoint("broker_options.bind", o.bind, runtime::endpoint_use::bind);
    if (!o.curve_secret_key.empty() && !security::is_z85_key(o.curve_secret_key)) {
        throw std::invalid_argument("broker_options.curve_secret_key: not a Z85 CURVE key");
    }
    if (o.curve_secret_key.empty() && reachable_from_outside(o.bind)) {
        runtime::logger_for("broker")->warn(
            "bound to {} without CURVE: anyone who can reach it may offer and call any "
            "service (--curve-key and --allow-keys)",
            o.bind);
    }
    return o;
}
}  // namespace

struct broker::impl {
    // `owner` is null when the caller keeps `context` alive.
    impl(broker_options o, std::shared_ptr<zmq::context_t> owner, zmq::context_t& context)
        : options(checked(std::move(o))),
          context_owner(std::move(owner)),
          zap(zap_for(options, context)),
          router(runtime::bind_router(context, options.bind, router_options(options))) {}

    broker_options options;
    std::shared_ptr<zmq::context_t> context_owner;  // before the socket: it closes first
    // Before the ROUTER: started before it binds, joined after it closed.
    std::unique_ptr<security::zap_handler> zap;
    zmq::socket_t router;
    runtime::event_fd stop_signal{"broker stop"};  // stop() may be called from a signal handler
    counters stats;
    std::string endpoint;
    broker_detail::scrape_desk scrape;
    // set_access() hands the loop a new access control here; the loop looks
    // at one relaxed atomic per burst, and takes the lock only when it is set.
    std::mutex access_mutex;
    std::shared_ptr<const broker_access> pending_access;  // guarded by access_mutex
    std::atomic<bool> access_pending{false};
    runtime::event_fd access_wake{"broker access"};
    void take_access(broker_detail::broker_core& core);
    // Last: destroyed first, so that no scrape runs on what follows it.
    std::unique_ptr<metrics::exposer> metrics;

    void serve_metrics();
    metrics::families collect();

    // Enough messages per wake-up to amortise the wait, few enough that
    // timers are never starved by a flood. Requests and replies are counted
    // too: a batch frame holds hundreds of them.
    static constexpr int burst = 1024;
    static constexpr std::uint64_t burst_records = 1024;
    bool read_burst(broker_detail::broker_core& core, bus::frames& message);
    bool stop_requested() noexcept;
    void farewell(broker_detail::broker_core& core, zmq_pollitem_t& item, bus::frames& message);
};

broker::broker(broker_options options) {
    auto context = runtime::context_or_own(options.context);
    auto& shared = *context;
    set_up(std::make_unique<impl>(std::move(options), std::move(context), shared));
}

broker::broker(broker_options options, zmq::context_t& context) {
    set_up(std::make_unique<impl>(std::move(options), nullptr, context));
}

void broker::set_up(std::unique_ptr<impl> bound) {
    impl_ = std::move(bound);
    impl_->endpoint = impl_->router.get(zmq::sockopt::last_endpoint);
    impl_->serve_metrics();
}

void broker::impl::serve_metrics() {
    if (options.metrics_listen.empty()) {
        return;
    }
    metrics = std::make_unique<metrics::exposer>(options.metrics_listen);
    metrics->add([this] { return collect(); });
}

// On an exposer thread: the broker's thread copies its tables for us. A
// broker not running (yet, or any more) reports its counters only.
metrics::families broker::impl::collect() {
    if (auto snapshot = scrape.ask(std::chrono::seconds(5))) {
        return broker_detail::broker_families(*snapshot, true);
    }
    broker_detail::broker_snapshot counters_only;
    counters_only.stats = stats.snapshot();
    return broker_detail::broker_families(counters_only, false);
}

std::string broker::metrics_address() const {
    return impl_->metrics ? impl_->metrics->address() : std::string();
}

std::string broker::curve_public_key() const {
    return impl_->zap ? security::public_key_of(impl_->options.curve_secret_key) : std::string();
}

void broker::set_allowed_keys(
    std::shared_ptr<const std::unordered_map<std::string, std::string>> keys) {
    if (impl_->zap) {
        impl_->zap->set_allowed_keys(keys ? std::move(keys)
                                          : std::make_shared<const security::allowed_keys>());
    }
}

broker::~broker() = default;

std::string broker::endpoint() const {
    return impl_->endpoint;
}

void broker::stop() noexcept {
    impl_->stop_signal.signal();
}

broker_stats broker::stats() const noexcept {
    return impl_->stats.snapshot();
}

void broker::set_access(std::shared_ptr<const broker_access> access) {
    {
        std::lock_guard lock(impl_->access_mutex);
        impl_->pending_access = std::move(access);
        impl_->access_pending.store(true, std::memory_order_release);
    }
    impl_->access_wake.signal();
}

void broker::impl::take_access(broker_detail::broker_core& core) {
    std::shared_ptr<const broker_access> taken;
    {
        std::lock_guard lock(access_mutex);
        taken = std::move(pending_access);
        access_pending.store(false, std::memory_order_relaxed);
    }
    core.replace_access(std::move(taken));
}

// Reads a burst of what waits on the ROUTER and sends the batch frames it
// gathered. True if it found the socket empty, with nothing sent since.
bool broker::impl::read_burst(broker_detail::broker_core& core, bus::frames& message) {
    const auto now = bus::clock::now();
    const auto first = core.records_handled();
    const auto until = now + core.tick_interval() / 2;  // timers are due that often
    for (int read = 0; read < burst && core.records_handled() - first < burst_records &&
                       (read == 0 || bus::clock::now() < until);
         ++read) {
        if (!bus::recv_frames(router, message)) {
            core.caught_up(bus::clock::now());
            if (read > 0) {
                core.flush(now);
                return false;  // it sent: read again before waiting
            }
            return true;
        }
        core.on_message(message, now);
    }
    core.flush(now);
    return false;
}

// After the drain, a time of serving on (options.farewell): what arrives
// gets UNAVAILABLE rather than vanishing, and clients read the last replies
// before the connection closes. A client with ZMQ_IMMEDIATE (ours) drops what
// it has not read when its connection breaks, and a close right behind the
// last reply would lose it for a client that reads late: one starved of CPU,
// or paused. It was once min(heartbeat, 200 ms); a second is rarely missed.
void broker::impl::farewell(broker_detail::broker_core& core, zmq_pollitem_t& item,
                            bus::frames& message) {
    const auto until = bus::clock::now() + options.farewell;
    while (bus::clock::now() < until) {
        if (read_burst(core, message)) {
            bus::poll_until(std::span(&item, 1), until);
        }
    }
}

bool broker::impl::stop_requested() noexcept {
    return stop_signal.drain();
}

// The ROUTER is waited on through its ZMQ_FD, not zmq_poll: zmq_poll asks
// the socket for ZMQ_EVENTS, and a ROUTER_MANDATORY socket answers that by
// looking at every peer's pipe, which with 11,000 peers cost more than the
// requests. ZMQ_FD only tells that something may have changed, and any send
// may take that signal in passing, so the loop waits only after a read found
// the socket empty with no send since.
void broker::run() {
    auto log = runtime::logger_for("broker");
    broker_core core(impl_->options, impl_->router, impl_->stats);
    bus::frames message;
    const int router_fd = impl_->router.get(zmq::sockopt::fd);
    zmq_pollitem_t items[] = {{nullptr, router_fd, ZMQ_POLLIN, 0},
                              impl_->stop_signal.poll_item(),
                              impl_->scrape.wake().poll_item(),
                              impl_->access_wake.poll_item()};
    impl_->scrape.open();
    auto next_tick = bus::clock::now();
    auto drain_deadline = bus::time_point::max();
    bool draining = false;
    bool found_empty = false;
    log->info("broker listening endpoint={} heartbeat_ms={} liveness={}", impl_->endpoint,
              impl_->options.heartbeat.count(), impl_->options.liveness);
    for (;;) {
        bool stop = false;
        if (found_empty) {
            items[1].revents = 0;
            items[2].revents = 0;
            items[3].revents = 0;
            bus::poll_until(items, next_tick);
            if ((items[3].revents & ZMQ_POLLIN) != 0) {
                impl_->access_wake.drain();  // access_pending tells below
            }
            stop = (items[1].revents & ZMQ_POLLIN) != 0 && impl_->stop_requested();
            if ((items[2].revents & ZMQ_POLLIN) != 0) {
                impl_->scrape.wake().drain();  // a scrape woke us: wanted() tells below
            }
        }
        if (impl_->access_pending.load(std::memory_order_acquire)) {
            impl_->take_access(core);
        }
        found_empty = impl_->read_burst(core, message);
        if (impl_->scrape.wanted()) {  // one relaxed load per burst
            impl_->scrape.answer(core.snapshot());
        }
        const auto now = bus::clock::now();
        if (now >= next_tick) {
            stop = impl_->stop_requested() || stop;  // under load the loop may never wait
            core.on_tick(now);
            if (impl_->options.on_tick) {
                impl_->options.on_tick();
            }
            next_tick = now + core.tick_interval();
            found_empty = false;  // it may have sent: read again before waiting
        }
        if (stop && !draining) {
            draining = true;
            drain_deadline = now + impl_->options.drain_timeout;
            core.begin_drain(now);
            found_empty = false;
        }
        if (draining && (core.in_flight() == 0 || now >= drain_deadline)) {
            core.finish(now);
            break;
        }
    }
    impl_->scrape.close();
    impl_->farewell(core, items[0], message);
    // Closed now, not when this process exits after deregistering: until
    // then clients' sends would succeed into a socket nobody reads, and those
    // calls would hear nothing until their deadline.
    impl_->router.close();
    log->info("broker stopped requests={} replies={}", impl_->stats.requests.get(),
              impl_->stats.replies.get());
}

}  // namespace skynet
