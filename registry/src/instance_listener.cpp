#include "skynet/registry/instance_listener.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "listener_view.hpp"
#include "retry_backoff.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/registry/connection.hpp"
#include "skynet/runtime/logging.hpp"
#include "stop_signal.hpp"
#include "subscriber.hpp"
#include "switch_watch.hpp"

namespace skynet::registry {

using bus::clock;
using bus::time_point;
using std::chrono::milliseconds;

namespace {

// Past the next lease expiry, so that the prune finds it expired.
constexpr milliseconds prune_margin{2};

// The subscription first, then the read: no change can fall between them.
struct session {
    detail::subscriber events;
    connection reads;
};

}  // namespace

struct instance_listener::impl {
    const options opts;
    const query filter;
    listener_callbacks callbacks;
    const listener_settings settings;
    std::shared_ptr<spdlog::logger> log = runtime::logger_for("registry");
    detail::stop_signal stopping{"instance_listener"};
    std::atomic<bool> online{false};

    mutable std::mutex view_mutex;  // guards view: snapshot() reads it from any thread
    detail::listener_view view;

    // Ids named by events not yet read back, and when to read them.
    std::unordered_set<std::string> pending;
    time_point flush_at = time_point::max();
    time_point prune_at{};

    // The thread's own: a failover that leaves the old master up (Sentinel).
    detail::switch_watch master_moves{opts};

    std::thread thread;  // last: starts once everything above exists

    impl(options o, query q, listener_callbacks c, listener_settings s)
        : opts(std::move(o)), filter(q), callbacks(std::move(c)), settings(s), view(q) {}

    void stop() {
        stopping.raise();
        if (thread.joinable()) {
            thread.join();
        }
    }

    // Callbacks run without the view's lock, so that they may call snapshot().
    void deliver(const std::vector<detail::change>& changes) {
        for (const auto& c : changes) {
            const auto& call = c.what == detail::change::type::added     ? callbacks.added
                               : c.what == detail::change::type::updated ? callbacks.updated
                                                                         : callbacks.removed;
            if (!call) {
                continue;
            }
            try {
                call(c.record);
            } catch (const std::exception& e) {
                log->error("listener callback threw id={} error=\"{}\"", c.record.id, e.what());
            } catch (...) {
                log->error("listener callback threw id={}", c.record.id);
            }
        }
    }

    bus::result<session> open_session() {
        (void)master_moves.master_switched();  // subscribes before the master is looked up
        auto events = detail::subscriber::open(opts);
        if (!events) {
            return std::move(events).err();
        }
        auto reads = connection::open(opts);
        if (!reads) {
            return std::move(reads).err();
        }
        auto fresh = reads->find(filter);
        if (!fresh) {
            return std::move(fresh).err();
        }
        std::vector<detail::change> changes;
        {
            std::lock_guard lock(view_mutex);
            changes = view.resync(std::move(fresh).value());
        }
        deliver(changes);
        // After the initial set is delivered: whoever sees connected() has
        // had every callback of it (a client waits for that before it calls
        // a service unknown).
        online = true;
        return session{std::move(events).value(), std::move(reads).value()};
    }

    // Reads back every pending id in one round trip and reports what changed.
    bus::result<void> flush(connection& reads) {
        std::vector<std::string> ids(pending.begin(), pending.end());
        std::sort(ids.begin(), ids.end());
        pending.clear();
        flush_at = time_point::max();
        auto records = reads.get(ids);
        if (!records) {
            return std::move(records).err();
        }
        std::vector<detail::change> changes;
        {
            std::lock_guard lock(view_mutex);
            for (std::size_t i = 0; i < ids.size(); ++i) {
                if (auto c = view.apply(ids[i], std::move(records.value()[i]))) {
                    changes.push_back(std::move(*c));
                }
            }
        }
        deliver(changes);
        return {};
    }

    void note(std::vector<std::string> ids, time_point now) {
        if (!ids.empty() && pending.empty()) {
            flush_at = now + settings.coalesce;
        }
        for (auto& id : ids) {
            pending.insert(std::move(id));
        }
    }

    // Prunes when a lease is due: this is what reports a crashed instance.
    bus::result<void> prune_if_due(connection& reads, time_point now) {
        if (now < prune_at) {
            return {};
        }
        auto pruned = reads.prune();
        if (!pruned) {
            return std::move(pruned).err();
        }
        auto next = pruned->next_expiry.value_or(settings.max_prune_interval) + prune_margin;
        prune_at = now + std::min(next, settings.max_prune_interval);
        note(std::move(pruned->removed), now);
        return {};
    }

    // Serves one session until the connection fails or the listener stops.
    bus::result<void> serve(session& s) {
        pending.clear();
        flush_at = time_point::max();
        prune_at = clock::now();
        auto buffered = s.events.take_ids(false);
        if (!buffered) {
            return std::move(buffered).err();
        }
        note(std::move(buffered).value(), clock::now());
        while (!stopping.raised()) {
            if (master_moves.master_switched()) {
                return bus::error{bus::errc::unavailable, "the sentinels named a new master"};
            }
            auto now = clock::now();
            if (auto pruned = prune_if_due(s.reads, now); !pruned) {
                return pruned;
            }
            if (now >= flush_at) {
                if (auto flushed = flush(s.reads); !flushed) {
                    return flushed;
                }
            }
            auto until = std::min(
                std::chrono::ceil<milliseconds>(std::min(prune_at, flush_at) - clock::now()),
                master_moves.look_again_in().value_or(milliseconds::max()));
            if (stopping.wait(s.events.fd(), until, master_moves.fd())) {
                auto ids = s.events.take_ids(true);
                if (!ids) {
                    return std::move(ids).err();
                }
                note(std::move(ids).value(), clock::now());
            }
        }
        return {};
    }

    // One failure is a warning; a run of them is logged again only once
    // the registry is back.
    void run() {
        retry_backoff backoff(settings.max_backoff);
        std::optional<bus::error> down;
        while (!stopping.raised()) {
            auto s = open_session();
            if (s) {
                if (down) {
                    log->info("listener resynchronised with the registry");
                    down.reset();
                }
                backoff.reset();
                auto served = serve(*s);
                online = false;
                if (served || stopping.raised()) {
                    continue;
                }
                log->warn("listener lost the registry error=\"{}\"", served.err().detail);
                down = served.err();
            } else if (!down) {
                log->warn("listener cannot reach the registry, retrying error=\"{}\"",
                          s.err().detail);
                down = s.err();
            }
            stopping.wait(-1, backoff.next());
        }
    }
};

instance_listener::instance_listener(options opts, query filter, listener_callbacks callbacks,
                                     listener_settings settings)
    : impl_(std::make_unique<impl>(std::move(opts), std::move(filter), std::move(callbacks),
                                   settings)) {
    impl_->thread = std::thread([state = impl_.get()] { state->run(); });
}

instance_listener::~instance_listener() {
    impl_->stop();
}

std::vector<instance> instance_listener::snapshot() const {
    std::lock_guard lock(impl_->view_mutex);
    return impl_->view.snapshot();
}

bool instance_listener::connected() const {
    return impl_->online;
}

}  // namespace skynet::registry
