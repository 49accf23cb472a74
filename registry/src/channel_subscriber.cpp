#include "skynet/registry/channel_subscriber.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "redis_link.hpp"
#include "retry_backoff.hpp"
#include "skynet/runtime/logging.hpp"
#include "stop_signal.hpp"
#include "switch_watch.hpp"

namespace skynet::registry {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds max_backoff{2000};

}  // namespace

struct channel_subscriber::impl {
    const options opts;
    const std::string channel;
    on_message callback;
    std::shared_ptr<spdlog::logger> log = runtime::logger_for("registry");
    detail::stop_signal stopping{"channel_subscriber"};
    std::atomic<bool> online{false};
    // The thread's own: after a failover that leaves the old master up,
    // messages are published on the new one.
    detail::switch_watch master_moves{opts};
    std::thread thread;  // last: starts once everything above exists

    impl(options o, std::string c, on_message cb)
        : opts(std::move(o)), channel(std::move(c)), callback(std::move(cb)) {}

    void deliver(const detail::reply_ptr& reply) {
        // ["message", channel, payload]; a confirmation is skipped.
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
            detail::text_of(*reply->element[0]) != "message") {
            return;
        }
        try {
            callback(detail::text_of(*reply->element[2]));
        } catch (const std::exception& e) {
            log->error("channel callback threw channel={} error=\"{}\"", channel, e.what());
        } catch (...) {
            log->error("channel callback threw channel={}", channel);
        }
    }

    // Reads until the connection fails or the subscriber stops.
    bus::result<void> serve(detail::redis_link& link) {
        online = true;
        auto replies = link.take_buffered();
        while (!stopping.raised()) {
            if (!replies) {
                online = false;
                return std::move(replies).err();
            }
            for (const auto& reply : *replies) {
                deliver(reply);
            }
            if (master_moves.master_switched()) {
                online = false;
                return bus::error{bus::errc::unavailable, "the sentinels named a new master"};
            }
            replies =
                stopping.wait(link.fd(), milliseconds(1000), master_moves.fd())
                    ? link.read_available()
                    : bus::result<std::vector<detail::reply_ptr>>{std::vector<detail::reply_ptr>{}};
        }
        online = false;
        return {};
    }

    bus::result<detail::redis_link> subscribe() {
        (void)master_moves.master_switched();  // subscribes before the master is looked up
        auto link = detail::redis_link::open(opts);
        if (!link) {
            return std::move(link).err();
        }
        auto confirmed = link->command({"SUBSCRIBE", channel});
        if (!confirmed) {
            return std::move(confirmed).err();
        }
        return std::move(link).value();
    }

    void run() {
        retry_backoff backoff(max_backoff);
        bool warned = false;
        while (!stopping.raised()) {
            auto link = subscribe();
            if (link) {
                backoff.reset();
                warned = false;
                auto served = serve(*link);
                if (!served && !stopping.raised()) {
                    log->warn("channel lost channel={} error=\"{}\"", channel, served.err().detail);
                    warned = true;
                }
            } else if (!warned) {
                log->warn("channel cannot subscribe, retrying channel={} error=\"{}\"", channel,
                          link.err().detail);
                warned = true;
            }
            stopping.wait(-1, backoff.next());
        }
    }
};

channel_subscriber::channel_subscriber(options opts, std::string name, on_message callback)
    : impl_(std::make_unique<impl>(opts, opts.prefix + name, std::move(callback))) {
    impl_->thread = std::thread([state = impl_.get()] { state->run(); });
}

channel_subscriber::~channel_subscriber() {
    impl_->stopping.raise();
    if (impl_->thread.joinable()) {
        impl_->thread.join();
    }
}

bool channel_subscriber::connected() const noexcept {
    return impl_->online;
}

}  // namespace skynet::registry
